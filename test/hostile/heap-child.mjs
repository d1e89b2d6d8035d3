// Imports argv[2] in a child process run with a small V8 heap (the built code, dist/), and
// prints what came of it as one JSON line: the event count, or the error's code and location.
// A crash (V8 out of heap) prints nothing and ends with a signal or 134. A CSV is read by the
// row importer; an XES file by the JavaScript readers when LEDGERFLOW_XES_WASM=0 is set.
import { byteSourceFromFile } from '../../dist/src/ingest/byte-source.js';
import { importCsv } from '../../dist/src/ingest/csv/import-csv.js';
import { importLog } from '../../dist/src/ingest/import-log.js';

const file = process.argv[2];
try {
  const log = file.endsWith('.csv')
    ? await importCsv(await byteSourceFromFile(file), {}, { fast: false })
    : await importLog(file);
  console.log(JSON.stringify({ events: log.eventCount }));
} catch (err) {
  console.log(JSON.stringify({ code: err.code, location: err.location }));
}
