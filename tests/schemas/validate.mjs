// Validates a CycloneDX 1.6 JSON document with the official schema (strict), through @cyclonedx/cyclonedx-library.
// Usage: node tests/schemas/validate.mjs SBOM.json
// Exit 0: valid. 1: invalid (the schema errors as JSON on stdout). 2: usage or set-up error (run tests/schemas/install.sh).
// The packages are looked up under $FACTORY_NPM_PREFIX, default .build/npm at the repository root.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate.mjs SBOM.json');
  process.exit(2);
}
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const prefix = process.env.FACTORY_NPM_PREFIX || path.join(repo, '.build', 'npm');

let CDX;
try {
  CDX = createRequire(path.join(prefix, 'package.json'))('@cyclonedx/cyclonedx-library');
} catch (error) {
  console.error(`cannot load @cyclonedx/cyclonedx-library from ${prefix}: ${error.message}; run tests/schemas/install.sh`);
  process.exit(2);
}

let text;
try {
  text = await readFile(file, 'utf-8');
} catch (error) {
  console.error(`cannot read ${file}: ${error.message}`);
  process.exit(2);
}

try {
  const errors = await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(text);
  if (errors === null) {
    console.log('valid CycloneDX 1.6');
    process.exit(0);
  }
  console.log(JSON.stringify(errors, null, 2));
  process.exit(1);
} catch (error) {
  if (error instanceof SyntaxError) {
    console.log(JSON.stringify([{ message: `not JSON: ${error.message}` }]));
    process.exit(1);
  }
  console.error(`validator failed: ${error.stack || error}`);
  process.exit(2);
}
