// Imports argv[2] with the row importer (the built code, dist/) in a child process run with a
// small V8 heap, and prints what came of it as one JSON line: the event count, or the error's
// code and location. A crash (V8 out of heap) prints nothing and ends with a signal or 134.
import { byteSourceFromFile } from '../../dist/src/ingest/byte-source.js';
import { importCsv } from '../../dist/src/ingest/csv/import-csv.js';

try {
  const log = await importCsv(await byteSourceFromFile(process.argv[2]), {}, { fast: false });
  console.log(JSON.stringify({ events: log.eventCount }));
} catch (err) {
  console.log(JSON.stringify({ code: err.code, location: err.location }));
}
