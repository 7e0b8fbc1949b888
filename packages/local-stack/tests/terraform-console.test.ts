import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@cdktf/hcl2json';
import { mergeBodies, parseTerraformDir, type HclBody } from '../src/hcl';

// The operations console in AWS, held together by reading its Terraform:
// the static site serves only through CloudFront, the config.json Terraform
// writes has the shape the console reads, and every console client is mapped
// to its entity and allowed by the API's CORS.

const root = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const infraDir = path.join(root, 'infra');
const siteDir = path.join(infraDir, 'modules', 'static-site');

type Block = Record<string, unknown>;

async function bodyOf(dir: string): Promise<HclBody> {
  return mergeBodies(await parseTerraformDir(dir));
}

function resource(body: HclBody, type: string, name: string): Block {
  const blocks = body.resource?.[type]?.[name];
  expect({ resource: `${type}.${name}`, declared: blocks?.length }).toEqual({ resource: `${type}.${name}`, declared: 1 });
  return (blocks as Block[])[0];
}

function blocksOf(block: Block, name: string): Block[] {
  return (block[name] ?? []) as Block[];
}

/** The object an `${jsonencode({ … })}` argument encodes, as hcl2json reads it: literal keys, other expressions as `${…}`. */
async function jsonencoded(expression: unknown): Promise<Block> {
  const match = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(String(expression));
  expect(match).not.toBeNull();
  const body = (await parse('config.tf', `locals {\n  value = ${(match as RegExpExecArray)[1]}\n}\n`)) as { locals: Block[] };
  return body.locals[0].value as Block;
}

describe('the static-site module', () => {
  it('lays out main, variables, outputs and versions, and names every resource this', async () => {
    expect((await readdir(siteDir)).sort()).toEqual(['main.tf', 'outputs.tf', 'variables.tf', 'versions.tf']);
    const body = await bodyOf(siteDir);
    const labels = new Set([...Object.values(body.resource ?? {}), ...Object.values(body.data ?? {})].flatMap((byName) => Object.keys(byName)));
    expect([...labels]).toEqual(['this']);
    for (const type of ['aws_s3_bucket', 'aws_cloudfront_distribution', 'aws_cloudfront_origin_access_control', 'aws_s3_bucket_policy']) {
      resource(body, type, 'this');
    }
  });

  it('keeps the bucket private: public access blocked, ACLs off, versioned, encrypted', async () => {
    const body = await bodyOf(siteDir);
    const block = resource(body, 'aws_s3_bucket_public_access_block', 'this');
    for (const setting of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets']) {
      expect({ setting, value: block[setting] }).toEqual({ setting, value: true });
    }
    expect(blocksOf(resource(body, 'aws_s3_bucket_ownership_controls', 'this'), 'rule')[0].object_ownership).toBe('BucketOwnerEnforced');
    expect(blocksOf(resource(body, 'aws_s3_bucket_versioning', 'this'), 'versioning_configuration')[0].status).toBe('Enabled');
    const [rule] = blocksOf(resource(body, 'aws_s3_bucket_server_side_encryption_configuration', 'this'), 'rule');
    expect(blocksOf(rule, 'apply_server_side_encryption_by_default')[0].sse_algorithm).toBe('AES256');
  });

  it('lets only this distribution read the bucket, through origin access control, and only over TLS', async () => {
    const body = await bodyOf(siteDir);
    const [document] = body.data?.aws_iam_policy_document?.this ?? [];
    const statements = (document.statement ?? []) as Block[];
    const allows = statements.filter((statement) => (statement.effect ?? 'Allow') === 'Allow');
    expect(allows).toEqual([
      {
        sid: 'AllowCloudFrontOriginAccessControl',
        actions: ['s3:GetObject'],
        resources: ['${aws_s3_bucket.this[0].arn}/*'],
        principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }],
        condition: [{ test: 'StringEquals', variable: 'AWS:SourceArn', values: ['${aws_cloudfront_distribution.this[0].arn}'] }],
      },
    ]);
    const denies = statements.filter((statement) => statement.effect === 'Deny');
    expect(denies).toEqual([
      expect.objectContaining({
        actions: ['s3:*'],
        resources: ['${aws_s3_bucket.this[0].arn}', '${aws_s3_bucket.this[0].arn}/*'],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      }),
    ]);
    expect(resource(body, 'aws_s3_bucket_policy', 'this').policy).toBe('${data.aws_iam_policy_document.this[0].json}');

    const oac = resource(body, 'aws_cloudfront_origin_access_control', 'this');
    expect(oac).toMatchObject({ origin_access_control_origin_type: 's3', signing_behavior: 'always', signing_protocol: 'sigv4' });
    const [origin] = blocksOf(resource(body, 'aws_cloudfront_distribution', 'this'), 'origin');
    expect(origin.origin_access_control_id).toBe('${aws_cloudfront_origin_access_control.this[0].id}');
    expect(origin.domain_name).toBe('${aws_s3_bucket.this[0].bucket_regional_domain_name}');
    expect(origin).not.toHaveProperty('s3_origin_config');
  });

  it('serves index.html over HTTPS only, with security headers on every path, TLS 1.2 on a custom domain', async () => {
    const body = await bodyOf(siteDir);
    const distribution = resource(body, 'aws_cloudfront_distribution', 'this');
    expect(distribution.default_root_object).toBe('index.html');
    const behaviors = [...blocksOf(distribution, 'default_cache_behavior'), ...blocksOf(distribution, 'ordered_cache_behavior')];
    expect(behaviors.length).toBe(2);
    for (const behavior of behaviors) {
      expect(behavior).toMatchObject({
        viewer_protocol_policy: 'redirect-to-https',
        response_headers_policy_id: '${aws_cloudfront_response_headers_policy.this[0].id}',
      });
    }
    const [certificate] = blocksOf(distribution, 'viewer_certificate');
    expect(certificate.minimum_protocol_version).toBe('${var.domain_name == null ? "TLSv1" : "TLSv1.2_2021"}');

    const [headers] = blocksOf(resource(body, 'aws_cloudfront_response_headers_policy', 'this'), 'security_headers_config');
    expect(blocksOf(headers, 'strict_transport_security')[0]).toMatchObject({ access_control_max_age_sec: expect.any(Number), override: true });
    expect(blocksOf(headers, 'strict_transport_security')[0].access_control_max_age_sec as number).toBeGreaterThanOrEqual(31536000);
    expect(blocksOf(headers, 'content_type_options')[0]).toEqual({ override: true });
    expect(blocksOf(headers, 'frame_options')[0]).toEqual({ frame_option: 'DENY', override: true });
    expect(blocksOf(headers, 'referrer_policy')[0]).toMatchObject({ override: true });
    expect(blocksOf(headers, 'content_security_policy')[0].content_security_policy).toBe('${local.content_security_policy}');
    const locals = Object.assign({}, ...(body.locals ?? [])) as Block;
    expect(String(locals.content_security_policy)).toContain('"connect-src ${join(" ", concat(["\'self\'"], var.connect_src))}"');
    expect(String(locals.content_security_policy)).toContain('"frame-ancestors \'none\'"');
  });

  it('caches hashed assets for a year and index.html and config.json not at all', async () => {
    const body = await bodyOf(siteDir);
    const distribution = resource(body, 'aws_cloudfront_distribution', 'this');
    const [assets] = blocksOf(distribution, 'ordered_cache_behavior');
    expect(assets.path_pattern).toBe('assets/*');
    expect(assets.cache_policy_id).toBe('${aws_cloudfront_cache_policy.this["immutable"].id}');
    expect(blocksOf(distribution, 'default_cache_behavior')[0].cache_policy_id).toBe('${aws_cloudfront_cache_policy.this["revalidate"].id}');
    const policies = String(resource(body, 'aws_cloudfront_cache_policy', 'this').for_each);
    expect(policies).toMatch(/revalidate = \{ default_ttl = 0, max_ttl = 60 \}/);
    expect(policies).toMatch(/immutable += \{ default_ttl = 31536000, max_ttl = 31536000 \}/);
  });
});

describe('the console of the platform', () => {
  it('instantiates the site behind the console_enabled toggle, with its logs in the log bucket', async () => {
    const platform = await bodyOf(path.join(infraDir, 'platform'));
    expect(platform.variable?.console_enabled?.[0]).toMatchObject({ type: '${bool}', default: true });
    const [console] = platform.module?.console ?? [];
    expect(console).toMatchObject({
      source: '../modules/static-site',
      create: '${var.console_enabled}',
      domain_name: '${var.console_domain_name}',
      certificate_arn: '${var.console_certificate_arn}',
      access_log_destination: { bucket_arn: '${module.access_logs.s3_bucket_arn}' },
    });
    expect(console.connect_src).toBe('${local.console_connect_src}');
    const locals = Object.assign({}, ...(platform.locals ?? [])) as Block;
    expect(String(locals.console_connect_src)).toContain('local.cognito_url');
    // CloudFront's log delivery is set up in us-east-1; the log bucket admits deliveries from there.
    expect(platform.module?.access_logs?.[0].log_delivery_regions).toBe('${var.console_enabled ? ["us-east-1"] : []}');
    const site = await bodyOf(siteDir);
    for (const type of ['aws_cloudwatch_log_delivery_source', 'aws_cloudwatch_log_delivery_destination', 'aws_cloudwatch_log_delivery']) {
      expect({ type, provider: resource(site, type, 'this').provider }).toEqual({ type, provider: '${aws.us_east_1}' });
    }
  });

  it('writes config.json with the keys the console reads', async () => {
    const platform = await bodyOf(path.join(infraDir, 'platform'));
    const object = resource(platform, 'aws_s3_object', 'console_config');
    expect(object).toMatchObject({
      bucket: '${module.console.s3_bucket_id}',
      key: 'config.json',
      content_type: 'application/json',
      cache_control: 'no-cache',
    });
    const config = await jsonencoded(object.content);
    expect(Object.keys(config).sort()).toEqual(['apiUrl', 'auth']);
    expect(config.apiUrl).toBe('${local.api_url}');
    const auth = config.auth as Block;
    expect(Object.keys(auth).sort()).toEqual(['authorizeUrl', 'clients', 'logoutUrl', 'mode', 'redirectUri', 'scopes', 'tokenUrl']);
    expect(auth).toMatchObject({
      mode: 'pkce',
      authorizeUrl: '${local.cognito_url}/oauth2/authorize',
      tokenUrl: '${local.cognito_url}/oauth2/token',
      logoutUrl: '${local.cognito_url}/logout',
      redirectUri: '${local.console_redirect_uri}',
    });
    // One entry per console client: its label and the id Cognito gave it.
    expect(String(auth.clients)).toMatch(/^\$\{\[\s*for client in local\.console_client_list : \{/);
    expect(String(auth.clients)).toMatch(/label\s*= client\.label/);
    expect(String(auth.clients)).toMatch(/clientId\s*= module\.api_auth\.cognito_user_pool_client_ids\[client\.name\]/);

    const locals = Object.assign({}, ...(platform.locals ?? [])) as Block;
    expect(locals.cognito_url).toBe('https://${module.api_auth.cognito_user_pool_domain_domain}.auth.${var.region}.amazoncognito.com');
    expect(locals.console_redirect_uri).toBe('${module.console.cloudfront_distribution_url}');
  });

  it('gives each participant and the operator a public console client, and maps each to its entity', async () => {
    const platform = await bodyOf(path.join(infraDir, 'platform'));
    const locals = Object.assign({}, ...(platform.locals ?? [])) as Block;
    expect(String(locals.participant_console_clients)).toMatch(/for entity_id, participant in var\.participants/);
    expect(String(locals.operator_console_clients)).toMatch(/entity_id = var\.operator\.entity_id/);
    expect(locals.console_client_list).toBe(
      '${var.console_enabled ? concat(local.participant_console_clients, local.operator_console_clients) : []}',
    );
    expect(String(locals.console_clients)).toMatch(/for client in local\.console_client_list : client\.name =>/);

    // Cognito: every console client is a client of the pool, with its sign-in URLs.
    const clients = String(platform.module?.api_auth?.[0].clients);
    expect(clients).toMatch(/^\$\{merge\(local\.clients, \{\s*for name, client in local\.console_clients : name =>/);
    expect(clients).toContain('sign_in = { callback_urls = [local.console_redirect_uri], logout_urls = [local.console_redirect_uri] }');

    // The mapping table: every client, machine or console, has its item.
    const mapping = resource(platform, 'aws_dynamodb_table_item', 'client_mapping');
    expect(mapping.for_each).toBe('${merge(local.clients, local.console_clients)}');
    expect(String(mapping.item)).toContain('clientId = { S = module.api_auth.cognito_user_pool_client_ids[each.key] }');
    expect(String(mapping.item)).toContain('entityId = { S = each.value.entity_id }');
  });

  it('makes a console client public: code with PKCE, no secret, the hosted UI only', async () => {
    const auth = await bodyOf(path.join(infraDir, 'modules', 'api-auth'));
    const client = resource(auth, 'aws_cognito_user_pool_client', 'this');
    expect(client).toMatchObject({
      generate_secret: '${each.value.sign_in == null}',
      allowed_oauth_flows: '${each.value.sign_in == null ? ["client_credentials"] : ["code"]}',
      allowed_oauth_flows_user_pool_client: true,
      callback_urls: '${each.value.sign_in == null ? null : each.value.sign_in.callback_urls}',
      logout_urls: '${each.value.sign_in == null ? null : each.value.sign_in.logout_urls}',
      supported_identity_providers: ['COGNITO'],
    });
    resource(auth, 'aws_cognito_user_pool_domain', 'this');
    expect(blocksOf(resource(auth, 'aws_cognito_user_pool', 'this'), 'admin_create_user_config')[0].allow_admin_create_user_only).toBe(true);
  });

  it("allows the console's origin, and only that, through the HTTP API's CORS", async () => {
    const platform = await bodyOf(path.join(infraDir, 'platform'));
    expect(platform.module?.http_api?.[0].cors_allowed_origins).toBe('${var.console_enabled ? [local.console_origin] : []}');
    const locals = Object.assign({}, ...(platform.locals ?? [])) as Block;
    // The origin is the redirect URI without its slash: the custom domain, or the distribution's name.
    expect(locals.console_origin).toBe('${var.console_enabled ? trimsuffix(local.console_redirect_uri, "/") : null}');
    const site = await bodyOf(siteDir);
    expect(site.output?.cloudfront_distribution_url?.[0].value).toBe(
      '${var.domain_name != null ? "https://${var.domain_name}/" : try("https://${aws_cloudfront_distribution.this[0].domain_name}/", null)}',
    );

    const api = await bodyOf(path.join(infraDir, 'modules', 'http-api'));
    const [cors] = ((resource(api, 'aws_apigatewayv2_api', 'this').dynamic as Record<string, Block[]>).cors_configuration ?? []) as Block[];
    expect(cors.for_each).toBe('${length(var.cors_allowed_origins) > 0 ? [1] : []}');
    const [content] = cors.content as Block[];
    expect(content).toMatchObject({
      allow_origins: '${var.cors_allowed_origins}',
      allow_methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allow_headers: '${var.cors_allowed_headers}',
      expose_headers: '${var.cors_exposed_headers}',
    });
    expect(content).not.toHaveProperty('allow_credentials');
    expect(api.variable?.cors_allowed_headers?.[0].default).toEqual(expect.arrayContaining(['authorization', 'content-type']));
    expect(api.variable?.cors_exposed_headers?.[0].default).toEqual(['repr-digest', 'x-archive-key', 'location', 'etag', 'content-disposition']);
  });

  it('documents a deploy that uploads the build without replacing the config.json Terraform writes', async () => {
    const deploy = await readFile(path.join(root, 'docs', 'deploy.md'), 'utf8');
    expect(deploy).toContain('pnpm --filter @mxflow/console build');
    const sync = deploy.split('\n').filter((line) => /aws s3 sync packages\/console\/dist /.test(line));
    expect(sync.length).toBeGreaterThan(0);
    for (const line of sync) expect(line).toContain('--exclude config.json');
    expect(deploy).toMatch(/aws cloudfront create-invalidation/);
  });
});
