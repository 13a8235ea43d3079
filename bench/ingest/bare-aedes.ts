/**
 * The baseline: a bare aedes broker that accepts every device and only counts publishes. Same
 * transport as the gateway (TCP), no authentication cost, no storage. Prints its port, then answers
 * "count" on stdin with the number of publishes it has seen.
 */
import { createServer } from 'node:net';
import { Aedes } from 'aedes';

const broker = await Aedes.createBroker();
let count = 0;
broker.on('publish', (packet, client) => {
  if (client) count++;
});
const server = createServer((socket) => broker.handle(socket));
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: (server.address() as { port: number }).port }) + '\n');
});
process.stdin.on('data', (d) => {
  if (d.toString().trim() === 'count') process.stdout.write(JSON.stringify({ count }) + '\n');
});
process.stdin.on('end', () => {
  server.close();
  broker.close();
});
