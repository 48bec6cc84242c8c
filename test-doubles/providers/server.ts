/**
 * go-plugin server side for the stand-in providers: magic-cookie check, automatic mutual TLS,
 * the handshake line on stdout, the tfplugin6 Provider service and go-plugin's controller.
 */
import * as grpc from '@grpc/grpc-js';
import { loadServices } from './protocol/tfplugin6';
import { ObjectValue, Value, fromDynamicValue, toDynamicValue } from './protocol/cty';
import {
  Diagnostic,
  PathStep,
  ProviderDefinition,
  ResourceDefinition,
  completeObject,
  error,
  planResource,
  schemaToProto,
  validateBlock,
} from './framework';
import { selfSignedServerCertificate } from './tls/x509';

export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
const CORE_PROTOCOL_VERSION = 1;
const APP_PROTOCOL_VERSION = 6;

function diagToProto(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity === 'error' ? 1 : 2,
    summary: d.summary,
    detail: d.detail ?? '',
    attribute: d.path
      ? { steps: d.path.map((s: PathStep) => (typeof s === 'number' ? { element_key_int: s } : { attribute_name: s })) }
      : null,
  };
}

const diagsToProto = (ds: Diagnostic[]): Record<string, unknown>[] => ds.map(diagToProto);

function asObject(v: Value): ObjectValue | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as ObjectValue) : null;
}

type Handler = (req: Record<string, any>) => Promise<Record<string, unknown>> | Record<string, unknown>;

function unary(fn: Handler): grpc.handleUnaryCall<any, any> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => fn(call.request))
      .then(
        (res) => callback(null, res),
        (err: Error) => callback({ code: grpc.status.INTERNAL, message: err.stack ?? String(err) }),
      );
  };
}

/** Builds the tfplugin6 Provider service implementation for one provider definition. */
export function providerImplementation(provider: ProviderDefinition): grpc.UntypedServiceImplementation {
  const resources = new Map<string, ResourceDefinition>(provider.resources.map((r) => [r.typeName, r]));
  const resourceFor = (name: string): ResourceDefinition => {
    const r = resources.get(name);
    if (!r) throw new Error(`${provider.name}: unknown resource type ${name}`);
    return r;
  };
  const unknownType = (name: string): Diagnostic[] => [error('Unknown resource type', `The provider ${provider.name} has no resource type ${JSON.stringify(name)}.`)];

  return {
    GetMetadata: unary(() => ({
      server_capabilities: { plan_destroy: false, get_provider_schema_optional: false },
      diagnostics: [],
      data_sources: [],
      resources: provider.resources.map((r) => ({ type_name: r.typeName })),
    })),
    GetProviderSchema: unary(() => ({
      provider: schemaToProto(provider.schema),
      resource_schemas: Object.fromEntries(provider.resources.map((r) => [r.typeName, schemaToProto(r.schema, r.version)])),
      data_source_schemas: {},
      diagnostics: [],
      server_capabilities: { plan_destroy: false, get_provider_schema_optional: false },
    })),
    ValidateProviderConfig: unary((req) => {
      const config = asObject(fromDynamicValue(req.config)) ?? {};
      return { diagnostics: diagsToProto([...validateBlock(provider.schema, config), ...(provider.validateConfig?.(config) ?? [])]) };
    }),
    ConfigureProvider: unary((req) => {
      const config = asObject(fromDynamicValue(req.config)) ?? {};
      return { diagnostics: diagsToProto(provider.configure?.(config) ?? []) };
    }),
    ValidateResourceConfig: unary((req) => {
      const r = resources.get(req.type_name);
      if (!r) return { diagnostics: diagsToProto(unknownType(req.type_name)) };
      const config = asObject(fromDynamicValue(req.config)) ?? {};
      return { diagnostics: diagsToProto([...validateBlock(r.schema, config), ...(r.validateConfig?.(config) ?? [])]) };
    }),
    ValidateDataResourceConfig: unary((req) => ({ diagnostics: diagsToProto(unknownType(req.type_name)) })),
    UpgradeResourceState: unary((req) => {
      const r = resourceFor(req.type_name);
      const raw = req.raw_state?.json?.length ? JSON.parse(Buffer.from(req.raw_state.json).toString('utf8')) : {};
      const upgraded = r.upgrade ? r.upgrade(Number(req.version), raw) : raw;
      return { upgraded_state: toDynamicValue(completeObject(r.schema, upgraded)), diagnostics: [] };
    }),
    ReadResource: unary(async (req) => {
      const r = resourceFor(req.type_name);
      const state = asObject(fromDynamicValue(req.current_state));
      if (state === null || !r.read) return { new_state: req.current_state, diagnostics: [], private: req.private };
      const result = await r.read(state);
      return { new_state: toDynamicValue(result.state), diagnostics: diagsToProto(result.diagnostics ?? []), private: req.private };
    }),
    PlanResourceChange: unary((req) => {
      const r = resourceFor(req.type_name);
      const prior = asObject(fromDynamicValue(req.prior_state));
      const proposed = asObject(fromDynamicValue(req.proposed_new_state));
      const config = asObject(fromDynamicValue(req.config)) ?? {};
      if (proposed === null) return { planned_state: toDynamicValue(null), requires_replace: [], diagnostics: [] };
      const ctx = planResource(r, prior, proposed, config);
      return {
        planned_state: toDynamicValue(ctx.planned),
        requires_replace: ctx.requiresReplace.map((p) => ({ steps: p.map((s) => (typeof s === 'number' ? { element_key_int: s } : { attribute_name: s })) })),
        planned_private: req.prior_private ?? Buffer.alloc(0),
        diagnostics: diagsToProto(ctx.diagnostics),
      };
    }),
    ApplyResourceChange: unary(async (req) => {
      const r = resourceFor(req.type_name);
      const prior = asObject(fromDynamicValue(req.prior_state));
      const planned = asObject(fromDynamicValue(req.planned_state));
      const config = asObject(fromDynamicValue(req.config)) ?? {};
      if (planned === null) {
        const diags = (prior && (await r.delete?.(prior))) || [];
        return { new_state: toDynamicValue(null), diagnostics: diagsToProto(diags) };
      }
      const result = prior === null ? await r.create(planned, config) : r.update ? await r.update(planned, prior) : { state: planned };
      return { new_state: toDynamicValue(result.state), diagnostics: diagsToProto(result.diagnostics ?? []), private: Buffer.alloc(0) };
    }),
    ImportResourceState: unary((req) => ({
      imported_resources: [],
      diagnostics: diagsToProto([
        error('Resource Import Not Implemented', `${req.type_name} does not support import: this is a stand-in test double of ${provider.name}.`),
      ]),
    })),
    ReadDataSource: unary((req) => ({ diagnostics: diagsToProto(unknownType(req.type_name)) })),
    StopProvider: unary(() => ({ Error: '' })),
  };
}

function refuseWithoutCookie(): void {
  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    process.stderr.write(
      'This binary is a plugin. These are not meant to be executed directly.\n' +
        'Please execute the program that consumes these plugins, which will\n' +
        'load any plugins automatically\n',
    );
    process.exit(1);
  }
  const versions = (process.env.PLUGIN_PROTOCOL_VERSIONS ?? String(APP_PROTOCOL_VERSION)).split(',').map((v) => v.trim());
  if (!versions.includes(String(APP_PROTOCOL_VERSION))) {
    process.stderr.write(`This stand-in provider speaks plugin protocol ${APP_PROTOCOL_VERSION} only; Terraform offered ${versions.join(',')}.\n`);
    process.exit(1);
  }
}

/** Entry point of a provider executable: handshake, serve until Terraform shuts us down. */
export function serve(provider: ProviderDefinition): void {
  refuseWithoutCookie();
  const services = loadServices();
  const server = new grpc.Server();
  const exit = (): void => {
    server.forceShutdown();
    process.exit(0);
  };
  server.addService(services.provider, providerImplementation(provider));
  server.addService(services.controller, {
    Shutdown: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
      callback(null, {});
      setTimeout(exit, 10);
    },
  });
  server.addService(services.health, {
    Check: (_call: unknown, callback: grpc.sendUnaryData<object>) => callback(null, { status: 1 }),
  });

  const clientCert = process.env.PLUGIN_CLIENT_CERT;
  let credentials = grpc.ServerCredentials.createInsecure();
  let certField = '';
  if (clientCert && clientCert.trim() !== '') {
    const { certPem, keyPem, certDer } = selfSignedServerCertificate();
    credentials = grpc.ServerCredentials.createSsl(Buffer.from(clientCert), [{ private_key: Buffer.from(keyPem), cert_chain: Buffer.from(certPem) }], true);
    certField = certDer.toString('base64').replace(/=+$/, '');
  }
  server.bindAsync('127.0.0.1:0', credentials, (err, port) => {
    if (err) {
      process.stderr.write(`stand-in provider ${provider.name}: cannot listen: ${err.message}\n`);
      process.exit(1);
    }
    process.stdout.write(`${CORE_PROTOCOL_VERSION}|${APP_PROTOCOL_VERSION}|tcp|127.0.0.1:${port}|grpc|${certField}\n`);
  });
  process.on('SIGINT', () => undefined); // Terraform forwards Ctrl-C; it stops us through StopProvider/Shutdown.
  process.on('SIGTERM', exit);
}
