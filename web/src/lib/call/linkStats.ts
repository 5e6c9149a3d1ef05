import type { LinkSample } from './quality.ts';

// Reads this tab's link quality from the WebRTC statistics of its two transports. Loss on the
// receiving side is counted between samples; the sending side's loss comes from what the server
// reports back (remote-inbound-rtp).

type Stat = Record<string, unknown> & { type?: unknown; id?: unknown };

/** What `RTCStatsReport.values()` yields; plain objects keep this testable without a browser. */
export type StatsList = Iterable<Stat>;

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The transport's chosen candidate pair, or a nominated, working one. */
function selectedPair(stats: Stat[]): Stat | undefined {
  const transport = stats.find((s) => s.type === 'transport' && typeof s['selectedCandidatePairId'] === 'string');
  if (transport) {
    const pair = stats.find((s) => s.type === 'candidate-pair' && s.id === transport['selectedCandidatePairId']);
    if (pair) return pair;
  }
  return stats.find((s) => s.type === 'candidate-pair' && s['nominated'] === true && s['state'] === 'succeeded');
}

/** mediasoup-client's bandwidth probe is a receiver of its own, not anyone's media. */
function isProbe(stat: Stat): boolean {
  return stat['mid'] === 'probator' || stat['trackIdentifier'] === 'probator';
}

/** Turns successive statistics of the send and receive transports into link samples. */
export class LinkSampler {
  #received = 0;
  #lost = 0;

  /** `sendingVideo`: whether the outgoing bitrate estimate matters (a camera is being sent). */
  sample(send: StatsList | null, recv: StatsList | null, sendingVideo: boolean): LinkSample {
    const sendStats = send ? [...send] : [];
    const recvStats = recv ? [...recv] : [];
    const sample: LinkSample = {};

    const sendPair = selectedPair(sendStats);
    const pair = sendPair ?? selectedPair(recvStats);
    const rtt = num(pair?.['currentRoundTripTime']);
    if (rtt !== undefined) sample.rttMs = rtt * 1000;
    const outgoing = num(sendPair?.['availableOutgoingBitrate']);
    if (sendingVideo && outgoing !== undefined) sample.availableOutgoingBitrate = outgoing;

    let sendLoss: number | undefined;
    for (const stat of sendStats) {
      const fraction = stat.type === 'remote-inbound-rtp' ? num(stat['fractionLost']) : undefined;
      if (fraction !== undefined) sendLoss = Math.max(sendLoss ?? 0, fraction);
    }

    let received = 0;
    let lost = 0;
    let inbound = 0;
    for (const stat of recvStats) {
      if (stat.type !== 'inbound-rtp' || isProbe(stat)) continue;
      inbound++;
      received += num(stat['packetsReceived']) ?? 0;
      lost += Math.max(0, num(stat['packetsLost']) ?? 0);
    }
    let recvLoss: number | undefined;
    const dReceived = received - this.#received;
    const dLost = lost - this.#lost;
    // Counters restart when the transports are rebuilt: then this sample only sets the baseline.
    if (inbound > 0 && dReceived >= 0 && dLost >= 0 && dReceived + dLost > 0) {
      recvLoss = dLost / (dReceived + dLost);
    }
    this.#received = received;
    this.#lost = lost;

    if (sendLoss !== undefined || recvLoss !== undefined) sample.lossFraction = Math.max(sendLoss ?? 0, recvLoss ?? 0);
    return sample;
  }
}
