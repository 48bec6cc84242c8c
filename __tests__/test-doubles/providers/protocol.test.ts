/**
 * The stand-in providers speak go-plugin + tfplugin6 like a real provider: they refuse to run
 * without the magic cookie, hand Terraform a TLS endpoint on stdout, serve the schema over
 * mutual TLS, and exit when the controller asks them to shut down.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { ensureProviderMirror } from '../../../test-doubles/providers/mirror';
import { loadServices } from '../../../test-doubles/providers/protocol/tfplugin6';
import { ObjectValue, UNKNOWN, decodeMsgpack, encodeMsgpack } from '../../../test-doubles/providers/protocol/cty';
import { MAGIC_COOKIE_VALUE } from '../../../test-doubles/providers/server';
import { selfSignedServerCertificate } from '../../../test-doubles/providers/tls/x509';
import { planResource } from '../../../test-doubles/providers/framework';
import { nullResource } from '../../../test-doubles/providers/null/resource';

jest.setTimeout(60_000);

let providerExe: string;
let afterCleanup: () => void = () => undefined;
afterAll(() => afterCleanup());

beforeAll(async () => {
  const mirror = await ensureProviderMirror();
  const platform = `linux_${process.arch === 'arm64' ? 'arm64' : 'amd64'}`;
  providerExe = path.join(mirror.mirrorDir, 'registry.terraform.io/hashicorp/null/3.2.4', platform, 'terraform-provider-null_v3.2.4');
});

describe('cty values on the wire', () => {
  it('round-trips objects with nulls, lists, maps and unknowns', () => {
    const value: ObjectValue = { id: UNKNOWN, triggers: { a: 'x' }, list: ['a', null], n: 3, b: false, none: null };
    expect(decodeMsgpack(encodeMsgpack(value))).toEqual(value);
  });

  it('encodes an unknown as MessagePack extension type 0 and reads refined unknowns (type 12) as unknown', () => {
    expect([...encodeMsgpack(UNKNOWN)]).toEqual([0xd4, 0x00, 0x00]);
    // fixext 1 of type 12 carrying a refinement map, as Terraform sends for "known not null".
    expect(decodeMsgpack(Buffer.from([0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2]))).toBe(UNKNOWN);
  });
});

describe('generic planning', () => {
  const prior = { id: '42', triggers: { a: '1' } };
  it('keeps the prior id and asks for replacement when a trigger changes', () => {
    const ctx = planResource(nullResource, prior, { id: '42', triggers: { a: '2' } }, { id: null, triggers: { a: '2' } });
    expect(ctx.planned.id).toBe('42');
    expect(ctx.requiresReplace).toEqual([['triggers']]);
  });
  it('plans the id unknown on create', () => {
    const ctx = planResource(nullResource, null, { id: null, triggers: null }, { id: null, triggers: null });
    expect(ctx.planned.id).toBe(UNKNOWN);
    expect(ctx.requiresReplace).toEqual([]);
  });
});

describe('go-plugin handshake', () => {
  it('refuses to run without the magic cookie, like a real plugin', () => {
    const env = { ...process.env };
    delete env.TF_PLUGIN_MAGIC_COOKIE;
    const res = spawnSync(providerExe, [], { env, encoding: 'utf8' });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('This binary is a plugin');
  });

  it('serves the schema over mutual TLS and exits on GRPCController/Shutdown', async () => {
    const client = selfSignedServerCertificate();
    const child: ChildProcess = spawn(providerExe, [], {
      env: { ...process.env, TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '5,6', PLUGIN_CLIENT_CERT: client.certPem },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    afterCleanup = () => child.kill();
    const line = await new Promise<string>((resolve) => {
      let buf = '';
      child.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('\n')) resolve(buf.split('\n')[0]);
      });
    });
    const [core, proto, network, address, kind, cert] = line.split('|');
    expect([core, proto, network, kind]).toEqual(['1', '6', 'tcp', 'grpc']);
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(cert).toMatch(/^[A-Za-z0-9+/]+$/); // unpadded standard base64 DER

    // PEM needs padded base64: re-encode the DER from the handshake.
    const der = Buffer.from(cert, 'base64').toString('base64');
    const serverPem = `-----BEGIN CERTIFICATE-----\n${der.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
    const creds = grpc.credentials.createSsl(Buffer.from(serverPem), Buffer.from(client.keyPem), Buffer.from(client.certPem));
    const services = loadServices();
    const Provider = grpc.makeGenericClientConstructor(services.provider, 'Provider');
    const Controller = grpc.makeGenericClientConstructor(services.controller, 'GRPCController');
    const options = { 'grpc.ssl_target_name_override': 'localhost' };
    const provider = new Provider(address, creds, options) as unknown as Record<string, Function>;
    const schema = await new Promise<any>((resolve, reject) =>
      provider.GetProviderSchema({}, { deadline: Date.now() + 10_000 }, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))),
    );
    const attrs = schema.resource_schemas.null_resource.block.attributes.map((a: any) => [a.name, a.optional, a.computed]);
    expect(attrs).toEqual([
      ['id', false, true],
      ['triggers', true, false],
    ]);
    const controller = new Controller(address, creds, options) as unknown as Record<string, Function>;
    await new Promise((resolve, reject) => controller.Shutdown({}, { deadline: Date.now() + 10_000 }, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))));
    expect(await exited).toBe(0);
    (provider as unknown as grpc.Client).close();
    (controller as unknown as grpc.Client).close();
  });
});
