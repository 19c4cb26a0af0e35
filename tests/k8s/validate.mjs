// Validates Kubernetes objects, as `kubectl kustomize` prints them (YAML, one document per object), against the
// Kubernetes and KEDA schemas of npm kubernetes-models and @kubernetes-models/keda.
// Usage: node tests/k8s/validate.mjs RENDERED.yaml
// Prints {"objects": [...the objects as JSON...], "problems": [{apiVersion, kind, name, message}]} on stdout.
// Exit 0: every object is valid. 1: some are not (or have no schema). 2: usage or set-up error (run tests/k8s/install.sh).
// The packages are looked up under $FACTORY_K8S_NPM_PREFIX, default .build/npm-k8s at the repository root.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate.mjs RENDERED.yaml');
  process.exit(2);
}
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const prefix = process.env.FACTORY_K8S_NPM_PREFIX || path.join(repo, '.build', 'npm-k8s');
const require = createRequire(path.join(prefix, 'package.json'));

const modules = path.join(prefix, 'node_modules');
let YAML;
try {
  YAML = require('yaml');
  for (const name of ['kubernetes-models', '@kubernetes-models/keda']) {
    if (!existsSync(path.join(modules, name, 'package.json'))) throw new Error(`${name} is not installed`);
  }
} catch (error) {
  console.error(`cannot load yaml, kubernetes-models and @kubernetes-models/keda from ${prefix}: ${error.message}; run tests/k8s/install.sh`);
  process.exit(2);
}

let text;
try {
  text = await readFile(file, 'utf-8');
} catch (error) {
  console.error(`cannot read ${file}: ${error.message}`);
  process.exit(2);
}

// The model of an apiVersion and kind (ES modules, loaded by path): core objects in kubernetes-models/<version>/<Kind>.js,
// the others in kubernetes-models/<group>/<version>/<Kind>.js, KEDA's in @kubernetes-models/keda/keda.sh/<version>/<Kind>.js.
async function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (!/^[A-Za-z0-9.]*$/.test(group) || !/^[A-Za-z0-9]+$/.test(version) || !/^[A-Za-z0-9]+$/.test(kind)) return undefined;
  const parts = group === 'keda.sh' ? ['@kubernetes-models', 'keda', group, version]
    : group ? ['kubernetes-models', group, version] : ['kubernetes-models', version];
  const file = path.join(modules, ...parts, `${kind}.js`);
  if (!existsSync(file)) return undefined;
  const exports = await import(pathToFileURL(file).href);
  return exports[kind] ?? exports.default;
}

const objects = [];
const problems = [];
for (const document of YAML.parseAllDocuments(text)) {
  const where = { apiVersion: '', kind: '', name: '' };
  if (document.errors.length > 0) {
    problems.push({ ...where, message: `not YAML: ${document.errors.map((e) => e.message).join('; ')}` });
    continue;
  }
  const object = document.toJS();
  if (object === null || object === undefined) continue;
  objects.push(object);
  Object.assign(where, { apiVersion: object.apiVersion ?? '', kind: object.kind ?? '', name: object.metadata?.name ?? '' });
  const Model = await modelOf(where.apiVersion, where.kind);
  if (typeof Model !== 'function') {
    problems.push({ ...where, message: `no schema for apiVersion ${where.apiVersion} kind ${where.kind}` });
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    const details = Array.isArray(error.errors) ? error.errors.map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`) : [];
    problems.push({ ...where, message: [error.message, ...details].join('\n') });
  }
}
console.log(JSON.stringify({ objects, problems }));
process.exit(problems.length === 0 ? 0 : 1);
