import { parseContainerfile } from '../../../utils/containerfile';
import { checkSecrets, secretReason } from './check-secrets';

const lint = (content: string) =>
  checkSecrets({ file: 'Containerfile', parsed: parseContainerfile(content), projectDir: '/nonexistent', isWorkspaceImage: () => false });

// Built at run time so that secret scanners do not flag this file.
const GITHUB = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
const AWS = `AKIA${'ABCDEFGHIJKLMNOP'}`;

describe('checkSecrets (secret-in-build-arg)', () => {
  test.each([
    ['a declared arg without a value', 'ARG GITHUB_TOKEN\nFROM quay.io/a/b:1'],
    ['an arg that only forwards another', 'FROM quay.io/a/b:1\nARG TOKEN=$CI_TOKEN\nENV API_KEY=${API_KEY}'],
    ['an empty value', 'FROM quay.io/a/b:1\nENV DB_PASSWORD=""'],
    ['names that point at a secret', 'FROM quay.io/a/b:1\nENV GITHUB_TOKEN_FILE=/run/secrets/gh SECRET_NAME=deploy-key'],
    ['ordinary settings', 'FROM quay.io/a/b:1\nENV TOKENIZER=bpe LANG=C.UTF-8\nARG BASE_IMAGE=quay.io/fedora/fedora-bootc:44'],
    // bootc-lint-comparison F10: settings about credentials, not credentials.
    ['settings named after credentials', 'FROM quay.io/a/b:1\nENV PASSWORD_MIN_LEN=12 TOKEN_TTL=3600 CREDENTIALS_REQUIRED=false API_KEY_HEADER=X-Api-Key'],
    ['numbers, booleans and durations', 'FROM quay.io/a/b:1\nENV TOKEN=0 SECRET=true API_KEY=30s'],
    ['a builder stage that is not shipped', `FROM golang:1 AS build\nENV GOPRIVATE_TOKEN=abc123def ID=${AWS}\nFROM quay.io/a/b:1\nCOPY --from=build /out /usr/bin/`],
    ['a header ARG the image never declares', 'ARG DB_PASSWORD=hunter2-real\nFROM quay.io/a/b:1'],
  ])('passes: %s', (_name, content) => {
    expect(lint(content)).toEqual([]);
  });

  test.each([
    ['a header ARG with a literal password the stage declares', 'ARG DB_PASSWORD=hunter2-real\nFROM quay.io/a/b:1\nARG DB_PASSWORD', 'hunter2-real', 'ARG DB_PASSWORD sets a literal value', 1, 5, 'warning'],
    ['ENV api key among several pairs', 'FROM quay.io/a/b:1\nENV A=1 API_KEY=k-9f8e7d6c5b B=2', 'k-9f8e7d6c5b', 'ENV API_KEY sets a literal value', 2, 9, 'warning'],
    ['old ENV form', 'FROM quay.io/a/b:1\nENV AWS_SECRET_ACCESS_KEY wJalrXUtnFEMI', 'wJalrXUtnFEMI', 'ENV AWS_SECRET_ACCESS_KEY', 2, 5, 'warning'],
    ['a GitHub token under any name', `FROM quay.io/a/b:1\nENV HELPER=${GITHUB}`, GITHUB, 'ENV HELPER holds what looks like a GitHub token', 2, 5, 'error'],
    ['an AWS key id under any name', `FROM quay.io/a/b:1\nARG ID=${AWS}`, AWS, 'ARG ID holds what looks like an AWS access key id', 2, 5, 'error'],
    ['a token in a stage the final stage builds on', `FROM quay.io/a/b:1 AS base\nENV HELPER=${GITHUB}\nFROM base`, GITHUB, 'ENV HELPER holds', 2, 5, 'error'],
  ])('fails: %s, without showing the value', (_name, content, value, message, line, column, severity) => {
    const findings = lint(content);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'secret-in-build-arg', severity, line, column });
    expect(findings[0].message).toContain(message);
    expect(findings[0].message).toContain('(value hidden)');
    expect(JSON.stringify(findings)).not.toContain(value);
  });
});

describe('secretReason', () => {
  test.each([
    ['X', `glpat-${'x'.repeat(20)}`, 'a GitLab token'],
    ['X', `xoxb-${'1234567890'}-abc`, 'a Slack token'],
    ['X', '-----BEGIN OPENSSH PRIVATE KEY-----\\nabc', 'a private key'],
    ['X', `github_pat_${'a'.repeat(30)}`, 'a GitHub token'],
    ['npm_credentials', 'abc', 'credential'],
    ['apiKey', 'abc', 'credential'],
    ['PRIVATE_KEY', 'abc', 'credential'],
    ['PASSWD', 'abc', 'credential'],
  ])('%s=%s looks like %s', (name, value, kind) => {
    expect(secretReason(name, value)?.text).toContain(kind);
  });

  test.each([
    ['PASSWORDLESS', 'true'],
    ['TOKEN', null],
    ['TOKEN', '   '],
    ['TOKEN', '${OTHER:-}'],
    ['SECRET_PATH', '/run/secrets/x'],
  ])('%s=%j does not', (name, value) => {
    expect(secretReason(name, value)).toBeUndefined();
  });
});
