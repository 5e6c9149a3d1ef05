// Rewrites mediasoup 3.12's worker meson files to link Debian's system libraries instead of
// meson subprojects, which would be downloaded at build time (impossible on an offline server).
// Only dependency plumbing changes; no C++ source is touched.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const workerDir = process.argv[2];
if (!workerDir) throw new TypeError('usage: patch-meson.mjs <worker dir>');

const systemDeps = `
openssl_dep = dependency('openssl')
nlohmann_json_dep = dependency('nlohmann_json')
libuv_dep = dependency('libuv')
# The worker includes <srtp.h> directly, Debian installs it under srtp2/.
libsrtp2_dep = declare_dependency(
  dependencies: dependency('libsrtp2'),
  compile_args: ['-I/usr/include/srtp2'],
)
# Debian's usrsctp has no pkg-config file.
usrsctp_dep = cpp.find_library('usrsctp')
absl_container_dep = dependency('absl_flat_hash_map')
absl_strings_dep = dependency('absl_strings')
absl_types_dep = dependency('absl_optional')
catch2_dep = dependency('catch2-with-main', required: false)
`;

/** Replaces `from` (exactly once) or fails loudly, so an unexpected upstream file is noticed. */
function replaceOnce(text, from, to, what) {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`patch-meson: cannot place ${what}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

function replaceBetween(text, startMarker, endMarker, to, what) {
  const start = text.indexOf(startMarker);
  const end = text.indexOf(endMarker, start);
  if (start < 0 || end < 0) throw new Error(`patch-meson: cannot find ${what}`);
  return text.slice(0, start) + to + text.slice(end);
}

const mainPath = join(workerDir, 'meson.build');
let main = readFileSync(mainPath, 'utf8');
main = replaceOnce(main, "meson_version: '>= 1.1.0'", "meson_version: '>= 0.63.0'", 'meson_version');
main = replaceBetween(main, 'openssl_proj = subproject(', 'libwebrtc_include_directories', systemDeps, 'subprojects');
main = replaceBetween(
  main,
  'dependencies = [',
  "if host_machine.system() == 'windows'",
  `dependencies = [
  absl_container_dep,
  openssl_dep,
  nlohmann_json_dep,
  libuv_dep,
  libsrtp2_dep,
  usrsctp_dep,
  libwebrtc_dep,
]

link_whole = [
  libwebrtc,
]

`,
  'dependency lists',
);
main = main.replaceAll("catch2_proj.get_variable('catch2_dep')", 'catch2_dep');
writeFileSync(mainPath, main);

const webrtcPath = join(workerDir, 'deps', 'libwebrtc', 'meson.build');
let webrtc = readFileSync(webrtcPath, 'utf8');
webrtc = replaceBetween(webrtc, 'abseil_cpp_proj = subproject(', 'local_include_directories', '', 'abseil subproject');
webrtc = webrtc
  .replaceAll("openssl_proj.get_variable('openssl_dep')", 'openssl_dep')
  .replaceAll("abseil_cpp_proj.get_variable('absl_strings_dep')", 'absl_strings_dep')
  .replaceAll("abseil_cpp_proj.get_variable('absl_types_dep')", 'absl_types_dep')
  .replaceAll("nlohmann_json_proj.get_variable('nlohmann_json_dep')", 'nlohmann_json_dep')
  .replaceAll("libuv_proj.get_variable('libuv_dep')", 'libuv_dep');
if (/_proj\./.test(webrtc) || /(?<!wingetopt)_proj\.get_variable/.test(main)) throw new Error('patch-meson: a subproject reference is left');
writeFileSync(webrtcPath, webrtc);
