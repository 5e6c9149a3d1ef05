import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_PATH } from './browser.ts';

// A network namespace joined to the test's own namespace by a veth pair: a browser started inside
// it reaches the server only over that pair, so the test can cut or squeeze exactly that
// browser's traffic (its Socket.IO connection and its WebRTC media alike) and nothing else.
// Needs root (CAP_NET_ADMIN) and iproute2. Only these two private addresses carry test traffic.
//
// Chromium's own emulation cannot do this: DevTools' offline mode closes WebSockets but leaves
// WebRTC untouched, and its WebRTC `packetLoss` setting had no effect on loopback here.

export interface IsolatedLink {
  /** The host end's address, in the test's namespace: the server listens here. */
  readonly hostIp: string;
  /** The address of the browser's end, inside the namespace. */
  readonly nsIp: string;
  /** A wrapper that starts Chromium inside the namespace (for playwright's executablePath). */
  readonly chromiumPath: string;
  /** Drops every packet both ways, silently, like a dead mobile link (no resets, no errors). */
  cut(): void;
  /**
   * Drops only the media: packets to and from the server's media `port` (UDP and TCP), while
   * the signaling connection goes on. This breaks ICE, which only an ICE restart should mend.
   */
  cutMedia(port: number): void;
  /** Squeezes both directions to `kbit` kilobits per second, with a short queue (drops beyond it). */
  throttle(kbit: number): void;
  /** Lets everything through again. */
  restore(): void;
  /** Removes the namespace and the veth pair. */
  close(): void;
}

/**
 * Whether a page's console line is the browser's own word about the network this test cut or
 * squeezed, not the app's doing: "Failed to load resource: net::ERR_NETWORK_CHANGED" (or
 * _INTERNET_DISCONNECTED) for requests in flight when the link went, and "WebSocket is already
 * in CLOSING or CLOSED state", which Chromium prints for a frame handed to a WebSocket whose
 * closing the server started (its heartbeat gave up on the link) before the page heard of it;
 * engine.io drops that frame on purpose and the request is made again after the resume.
 * An HTTP status (a 400, say) is never among them.
 */
export function causedByTheCut(problem: string): boolean {
  return /Failed to load resource: net::ERR_(NETWORK_CHANGED|INTERNET_DISCONNECTED)|WebSocket is already in CLOSING or CLOSED state/.test(problem);
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function tryIp(...args: string[]): void {
  try {
    ip(...args);
  } catch {
    // Nothing to remove.
  }
}

export function createIsolatedLink(): IsolatedLink {
  const n = process.pid % 250;
  const ns = `tupa-e2e-${process.pid}`;
  const hostDev = `tph${process.pid}`.slice(0, 15);
  const tempDev = `tpn${process.pid}`.slice(0, 15);
  // Inside the namespace the browser's link is an ordinary "eth0": Chromium treats interfaces
  // named tun* as VPN tunnels, and with no other link it believes it is offline.
  const nsDev = 'eth0';
  const hostIp = `10.77.${n}.1`;
  const nsIp = `10.77.${n}.2`;

  tryIp('netns', 'del', ns);
  tryIp('link', 'del', hostDev);
  ip('netns', 'add', ns);
  ip('link', 'add', hostDev, 'type', 'veth', 'peer', 'name', tempDev);
  // No IPv6 link-local addresses: they would appear a second after the link comes up, and
  // Chromium takes any address change for a network change and drops its connections.
  ip('link', 'set', 'dev', hostDev, 'addrgenmode', 'none');
  ip('link', 'set', 'dev', tempDev, 'addrgenmode', 'none');
  ip('link', 'set', tempDev, 'netns', ns);
  ip('netns', 'exec', ns, 'ip', 'link', 'set', tempDev, 'name', nsDev);
  ip('addr', 'add', `${hostIp}/30`, 'dev', hostDev);
  ip('link', 'set', hostDev, 'up');
  ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${nsIp}/30`, 'dev', nsDev);
  ip('netns', 'exec', ns, 'ip', 'link', 'set', nsDev, 'up');
  ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');

  const dir = mkdtempSync(join(tmpdir(), 'tupa-netns-'));
  const chromiumPath = join(dir, 'chromium-in-netns');
  writeFileSync(chromiumPath, `#!/bin/sh\nexec ip netns exec ${ns} ${CHROMIUM_PATH} "$@"\n`);
  chmodSync(chromiumPath, 0o755);

  // One root qdisc per end decides what passes: none (everything), pfifo with room for no packet
  // (nothing), or a token bucket (a slow link that drops what does not fit its short queue).
  const clear = () => {
    try {
      execFileSync('tc', ['qdisc', 'del', 'dev', hostDev, 'root'], { stdio: 'ignore' });
    } catch {
      // No qdisc set.
    }
    tryIp('netns', 'exec', ns, 'tc', 'qdisc', 'del', 'dev', nsDev, 'root');
  };
  const apply = (qdisc: string[]) => {
    clear();
    execFileSync('tc', ['qdisc', 'add', 'dev', hostDev, 'root', ...qdisc], { stdio: ['ignore', 'ignore', 'pipe'] });
    ip('netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', nsDev, 'root', ...qdisc);
  };

  // Media only: an htb root whose default class passes everything, and a class with a pfifo of
  // no room for the packets a u32 filter picks by port (u32 reads both ports from the word after
  // a 20-byte IPv4 header, where UDP and TCP alike keep them).
  const applyPortCut = (port: number) => {
    clear();
    for (const [inNs, dev, portField] of [
      [false, hostDev, 'sport'],
      [true, nsDev, 'dport'],
    ] as const) {
      const run = (...args: string[]) =>
        inNs ? ip('netns', 'exec', ns, 'tc', ...args) : execFileSync('tc', args, { stdio: ['ignore', 'ignore', 'pipe'] });
      run('qdisc', 'add', 'dev', dev, 'root', 'handle', '1:', 'htb', 'default', '10', 'r2q', '100000');
      run('class', 'add', 'dev', dev, 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '10gbit');
      run('class', 'add', 'dev', dev, 'parent', '1:', 'classid', '1:20', 'htb', 'rate', '10gbit');
      run('qdisc', 'add', 'dev', dev, 'parent', '1:20', 'handle', '20:', 'pfifo', 'limit', '0');
      run('filter', 'add', 'dev', dev, 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', portField, String(port), '0xffff', 'flowid', '1:20');
    }
  };

  return {
    hostIp,
    nsIp,
    chromiumPath,
    cut: () => apply(['pfifo', 'limit', '0']),
    cutMedia: applyPortCut,
    throttle: (kbit) => apply(['tbf', 'rate', `${kbit}kbit`, 'burst', '4kb', 'latency', '150ms']),
    restore: clear,
    close: () => {
      tryIp('netns', 'del', ns);
      tryIp('link', 'del', hostDev);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
