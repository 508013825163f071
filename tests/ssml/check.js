// Reads a JSON array of SSML documents on stdin; prints a JSON array of
// [index, problems] for every document ssml-check-core finds fault with.
const { check } = require('ssml-check-core');

let input = '';
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', async () => {
  const documents = JSON.parse(input);
  const faults = [];
  for (let i = 0; i < documents.length; i += 1) {
    const problems = await check(documents[i], { platform: 'amazon' });
    if (problems && problems.length) faults.push([i, problems]);
  }
  process.stdout.write(JSON.stringify(faults));
});
