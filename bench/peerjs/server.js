// The PeerJS server (npm `peer`) as SignalingBenchmark runs it: loopback only, the given port,
// the concurrent-connection limit raised so the benchmark's N clients fit. Usage: node server.js PORT
const { PeerServer } = require('peer');

const port = Number(process.argv[2] || 9000);
const server = PeerServer({
  host: '127.0.0.1',
  port,
  path: '/',
  key: 'peerjs',
  concurrent_limit: 1000000,
  allow_discovery: false,
}, () => console.log(`peerjs listening on 127.0.0.1:${port}`));
server.on('error', (e) => console.error('peerjs error', e));
