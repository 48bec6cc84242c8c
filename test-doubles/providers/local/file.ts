/** local_file and local_sensitive_file (hashicorp/local 2.6.1). */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ObjectValue, Value } from '../protocol/cty';
import { AttributeSchema, Diagnostic, ProviderDefinition, ResourceDefinition, error, exactlyOneOf } from '../framework';

function validatePermission(value: Value, p: (string | number)[]): Diagnostic[] {
  const v = String(value);
  const diags: Diagnostic[] = [];
  if (v.length < 3 || v.length > 4) {
    diags.push(error('Invalid File Permission String', `bad mode for file - string length should be 3 or 4 digits: ${v}`, p));
  }
  if (!/^[0-7]+$/.test(v) || parseInt(v, 8) > 0o777) {
    diags.push(error('Invalid File Permission String', `bad mode for file - must be expressed in octal numeric notation, of 3 or 4 digits: ${v}`, p));
  }
  return diags;
}

const checksumAttrs: AttributeSchema[] = [
  ['id', 'The hexadecimal encoding of the SHA1 checksum of the file content.'],
  ['content_md5', 'MD5 checksum of file content.'],
  ['content_sha1', 'SHA1 checksum of file content.'],
  ['content_sha256', 'SHA256 checksum of file content.'],
  ['content_base64sha256', 'Base64 encoded SHA256 checksum of file content.'],
  ['content_sha512', 'SHA512 checksum of file content.'],
  ['content_base64sha512', 'Base64 encoded SHA512 checksum of file content.'],
].map(([name, description]) => ({ name, type: 'string', computed: true, description }));

function checksums(content: Buffer): ObjectValue {
  const hex = (alg: string): string => crypto.createHash(alg).update(content).digest('hex');
  const b64 = (alg: string): string => crypto.createHash(alg).update(content).digest('base64');
  return {
    id: hex('sha1'),
    content_md5: hex('md5'),
    content_sha1: hex('sha1'),
    content_sha256: hex('sha256'),
    content_base64sha256: b64('sha256'),
    content_sha512: hex('sha512'),
    content_base64sha512: b64('sha512'),
  };
}

function decodeBase64Strict(s: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new Error('illegal base64 data');
  return Buffer.from(s, 'base64');
}

/** Creates missing parent directories with exactly `mode`, umask notwithstanding. */
function mkdirExact(dir: string, mode: number): void {
  if (fs.existsSync(dir)) return;
  mkdirExact(path.dirname(dir), mode);
  fs.mkdirSync(dir, { mode });
  fs.chmodSync(dir, mode);
}

interface Variant {
  typeName: string;
  label: string;
  contentArgs: string[];
  defaultPermission: string;
  attributes: AttributeSchema[];
}

function fileResource(v: Variant): ResourceDefinition {
  return {
    typeName: v.typeName,
    version: 0,
    schema: {
      description: v.typeName === 'local_file' ? 'Generates a local file with the given content.' : 'Generates a local file with the given sensitive content.',
      attributes: [
        {
          name: 'filename',
          type: 'string',
          required: true,
          replace: 'always',
          description: 'The path to the file that will be created.\n Missing parent directories will be created.\n If the file already exists, it will be overridden with the given content.',
        },
        ...v.attributes,
        {
          name: 'file_permission',
          type: 'string',
          optional: true,
          computed: true,
          default: v.defaultPermission,
          replace: 'always',
          validate: validatePermission,
          description: `Permissions to set for the output file (before umask), expressed as string in\n numeric notation.\n Default value is \`"${v.defaultPermission}"\`.`,
        },
        {
          name: 'directory_permission',
          type: 'string',
          optional: true,
          computed: true,
          default: v.defaultPermission,
          replace: 'always',
          validate: validatePermission,
          description: `Permissions to set for directories created (before umask), expressed as string in\n numeric notation.\n Default value is \`"${v.defaultPermission}"\`.`,
        },
        ...checksumAttrs,
      ],
    },
    validateConfig: (config) => exactlyOneOf(config, v.contentArgs, v.contentArgs[0]),
    create(planned) {
      const fail = (detail: string, e: unknown): { state: null; diagnostics: Diagnostic[] } => ({
        state: null,
        diagnostics: [error(`Create ${v.label} error`, `An unexpected error occurred while ${detail}\n\n+Original Error: ${(e as Error).message}`)],
      });
      let content: Buffer;
      try {
        if (typeof planned.sensitive_content === 'string') content = Buffer.from(planned.sensitive_content, 'utf8');
        else if (typeof planned.content_base64 === 'string') content = decodeBase64Strict(planned.content_base64);
        else if (typeof planned.source === 'string') content = fs.readFileSync(planned.source);
        else content = Buffer.from(typeof planned.content === 'string' ? planned.content : '', 'utf8');
      } catch (e) {
        return fail('parsing local file content', e);
      }
      const filename = String(planned.filename);
      try {
        mkdirExact(path.dirname(path.resolve(filename)), parseInt(String(planned.directory_permission), 8));
      } catch (e) {
        return fail('creating file directory', e);
      }
      try {
        const mode = parseInt(String(planned.file_permission), 8);
        fs.writeFileSync(filename, content, { mode });
        fs.chmodSync(filename, mode);
      } catch (e) {
        return fail('writing the file', e);
      }
      return { state: { ...planned, ...checksums(content) } };
    },
    read(state) {
      const filename = String(state.filename);
      if (!fs.existsSync(filename)) return { state: null };
      let content: Buffer;
      try {
        content = fs.readFileSync(filename);
      } catch (e) {
        return {
          state,
          diagnostics: [error(`Read ${v.label} error`, `An unexpected error occurred while reading the file\n\n+Original Error: ${(e as Error).message}`)],
        };
      }
      if (crypto.createHash('sha1').update(content).digest('hex') !== state.id) return { state: null };
      return { state };
    },
    delete(state) {
      try {
        fs.rmSync(String(state.filename), { force: true });
      } catch {
        // os.Remove's error is ignored by the real provider too.
      }
    },
  };
}

const contentAttr = (name: string, description: string, sensitive: boolean, deprecated?: string): AttributeSchema => ({
  name,
  type: 'string',
  optional: true,
  sensitive,
  deprecated,
  replace: 'always',
  description,
});

export const localFileResource = fileResource({
  typeName: 'local_file',
  label: 'local file',
  contentArgs: ['content', 'sensitive_content', 'content_base64', 'source'],
  defaultPermission: '0777',
  attributes: [
    contentAttr('content', 'Content to store in the file, expected to be a UTF-8 encoded string.', false),
    contentAttr('content_base64', 'Content to store in the file, expected to be binary encoded as base64 string.', false),
    contentAttr('source', 'Path to file to use as source for the one we are creating.', false),
    contentAttr(
      'sensitive_content',
      'Sensitive content to store in the file, expected to be an UTF-8 encoded string.\n Will not be displayed in diffs.',
      true,
      'Use the `local_sensitive_file` resource instead',
    ),
  ],
});

export const localSensitiveFileResource = fileResource({
  typeName: 'local_sensitive_file',
  label: 'local sensitive file',
  contentArgs: ['content', 'content_base64', 'source'],
  defaultPermission: '0700',
  attributes: [
    contentAttr('content', 'Sensitive Content to store in the file, expected to be a UTF-8 encoded string.', true),
    contentAttr('content_base64', 'Sensitive Content to store in the file, expected to be binary encoded as base64 string.', true),
    contentAttr('source', 'Path to file to use as source for the one we are creating.', false),
  ],
});

export const localProvider: ProviderDefinition = {
  name: 'registry.terraform.io/hashicorp/local',
  version: '2.6.1',
  schema: { attributes: [] },
  resources: [localFileResource, localSensitiveFileResource],
};
