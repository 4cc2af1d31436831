// The command line both interop drivers share:
//
//   node SCRIPT COMMAND < request.json > response.json
//
// run(script, commands) reads one JSON request, or an array of them, from
// standard input, answers each with commands[COMMAND] (a function, async or
// not, of one request) one after the other, and writes the answer, or the
// array of answers in the same order, as JSON to standard output. An unknown
// command prints the usage and exits 2; an exception prints its stack and
// exits 1.

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export async function run(script, commands) {
  const cmd = commands[process.argv[2]];
  if (!cmd) {
    console.error(`usage: node ${script} ${Object.keys(commands).join('|')} < request.json`);
    process.exit(2);
  }
  try {
    const input = await readStdin();
    let out;
    if (Array.isArray(input)) {
      out = [];
      for (const req of input) out.push(await cmd(req));
    } else {
      out = await cmd(input);
    }
    process.stdout.write(JSON.stringify(out));
  } catch (e) {
    console.error(e?.stack ?? String(e));
    process.exit(1);
  }
}
