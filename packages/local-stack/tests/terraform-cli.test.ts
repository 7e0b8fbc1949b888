import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Terraform's own verdict on infra/: every root initialises from a provider
// mirror without network, validates, and runs its *.tftest.hcl suites against
// mocked providers. Where Terraform or the mirror is missing, the suite says
// which and skips; it never passes without running.

const root = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const infraDir = path.join(root, 'infra');

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The terraform binary: TERRAFORM_BIN, else the first `terraform` on PATH. */
function findTerraform(): string | undefined {
  const given = process.env.TERRAFORM_BIN;
  if (given) return existsSync(given) ? given : undefined;
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'terraform'))
    .find((file) => existsSync(file));
}

const providerPlatform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;

/** True when `dir` is an unpacked provider mirror holding hashicorp/aws for this platform. */
function holdsAwsProvider(dir: string): boolean {
  const versions = path.join(dir, 'registry.terraform.io', 'hashicorp', 'aws');
  return entries(versions).some((version) => existsSync(path.join(versions, version, providerPlatform)));
}

/**
 * The filesystem mirror: TF_PLUGIN_MIRROR, else one of Terraform's implied
 * local mirror directories, else a directory right under /opt or
 * /usr/local/share that holds a registry.terraform.io tree.
 */
function findMirror(): { mirror?: string; searched: string } {
  const given = process.env.TF_PLUGIN_MIRROR;
  if (given) return { mirror: holdsAwsProvider(given) ? given : undefined, searched: `TF_PLUGIN_MIRROR=${given}` };
  const home = os.homedir();
  const implied = [
    path.join(home, '.terraform.d', 'plugins'),
    path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ];
  const below = ['/opt', '/usr/local/share'].flatMap((parent) => entries(parent).map((name) => path.join(parent, name)));
  return { mirror: [...implied, ...below].find(holdsAwsProvider), searched: `${implied.join(', ')}, /opt/*, /usr/local/share/*` };
}

/** Every directory of infra/ holding .tf files, relative to infra/, in a stable order. */
function terraformRoots(dir = infraDir): string[] {
  const here = readdirSync(dir, { withFileTypes: true });
  const self = here.some((entry) => entry.isFile() && entry.name.endsWith('.tf')) ? [path.relative(infraDir, dir)] : [];
  const below = here
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'tests')
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => terraformRoots(path.join(dir, entry.name)));
  return [...self, ...below];
}

function hasTests(relative: string): boolean {
  return entries(path.join(infraDir, relative, 'tests')).some((name) => name.endsWith('.tftest.hcl'));
}

const terraform = findTerraform();
const { mirror, searched } = findMirror();
const missing = [
  ...(terraform
    ? []
    : [process.env.TERRAFORM_BIN ? `terraform (TERRAFORM_BIN=${process.env.TERRAFORM_BIN} does not exist)` : 'terraform (not on PATH; set TERRAFORM_BIN)']),
  ...(mirror ? [] : [`a provider mirror with hashicorp/aws for ${providerPlatform} (searched ${searched}; set TF_PLUGIN_MIRROR)`]),
];
const roots = terraformRoots();
const stageRoots = roots.filter((relative) => relative.startsWith('stages/'));
const testRoots = roots.filter(hasTests);

if (missing.length > 0) {
  process.stderr.write(`\nSKIPPED: terraform init/validate/test of infra/: missing ${missing.join(' and ')}\n\n`);
}

describe('Terraform of infra/, offline', () => {
  it('finds the stage roots, the platform and the modules', () => {
    expect(roots).toEqual(expect.arrayContaining(['platform', 'stages/dev', 'stages/prod', 'modules/kafka-topics']));
  });

  it('holds no provider other than hashicorp/aws', () => {
    const sources = roots.flatMap((relative) =>
      entries(path.join(infraDir, relative))
        .filter((name) => name.endsWith('.tf'))
        .flatMap((name) => [...readFileSync(path.join(infraDir, relative, name), 'utf8').matchAll(/^\s*source\s*=\s*"([^"./][^"]*)"/gm)].map((match) => match[1])),
    );
    expect(new Set(sources)).toEqual(new Set(['hashicorp/aws']));
  });

  it('has a terraform test suite in every module that holds a promise, and in the platform', () => {
    for (const relative of ['modules/archive-bucket', 'modules/dynamodb-table', 'modules/notification-topic', 'modules/alarms', 'modules/kms-key', 'modules/kafka-topics', 'platform']) {
      expect({ relative, tests: hasTests(relative) }).toEqual({ relative, tests: true });
    }
  });

  if (missing.length > 0) {
    it.skip(`SKIPPED, missing ${missing.join(' and ')}: terraform init -backend=false, validate and test in every root`, () => undefined);
    return;
  }

  let work: string;

  beforeAll(async () => {
    // A copy, so that init's .terraform/ and lock files never land in the worktree;
    // the platform's tests read the services' files beside infra/.
    work = await mkdtemp(path.join(os.tmpdir(), 'mxflow-terraform-'));
    await cp(infraDir, path.join(work, 'infra'), {
      recursive: true,
      filter: (source) => !/(^|[/\\])(\.terraform|\.terraform\.lock\.hcl|terraform\.tfstate.*)$/.test(source),
    });
    await symlink(path.join(root, 'packages'), path.join(work, 'packages'), 'dir');
    await symlink(path.join(root, 'services'), path.join(work, 'services'), 'dir');
    const cache = path.join(work, 'plugin-cache');
    await writeFile(
      path.join(work, 'cli.tfrc'),
      `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\nplugin_cache_dir = ${JSON.stringify(cache)}\n`,
    );
    await mkdir(cache);
  });

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  function run(relative: string, args: readonly string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        terraform as string,
        [...args],
        {
          cwd: path.join(work, 'infra', relative),
          env: {
            ...process.env,
            TF_CLI_CONFIG_FILE: path.join(work, 'cli.tfrc'),
            TF_DATA_DIR: path.join(work, 'infra', relative, '.terraform'),
            TF_IN_AUTOMATION: '1',
            TF_INPUT: '0',
            CHECKPOINT_DISABLE: '1',
          },
          maxBuffer: 16 * 1024 * 1024,
          timeout: 240_000,
        },
        (error, stdout, stderr) =>
          error ? reject(new Error(`terraform ${args.join(' ')} in infra/${relative} failed:\n${stdout}\n${stderr}`)) : resolve(stdout),
      );
    });
  }

  // Validating a stage root validates the platform and every module it calls;
  // a module that needs an aliased provider (the platform, static-site) can
  // only be validated from a root. The test suites plan each module alone.
  it.each(stageRoots)(
    'initialises %s from the mirror (no backend, no network) and validates it',
    async (relative) => {
      await run(relative, ['init', '-backend=false', '-no-color']);
      expect(await run(relative, ['validate', '-no-color'])).toMatch(/The configuration is valid/);
    },
    300_000,
  );

  it.each(testRoots)(
    'passes the terraform test suites of %s against mocked providers',
    async (relative) => {
      await run(relative, ['init', '-backend=false', '-no-color']);
      const output = await run(relative, ['test', '-no-color']);
      expect(output).toMatch(/Success! [1-9]\d* passed, 0 failed/);
      expect(output).not.toMatch(/\.\.\. skip\b/);
    },
    300_000,
  );
});
