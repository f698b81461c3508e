import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SfHttpError } from '../http/respond.js';
import { parseQueryJobRequest } from './job-request.js';

function errorOf(text: string): { status: number; errorCode: string; message: string } {
  try {
    parseQueryJobRequest(text);
  } catch (e) {
    assert.ok(e instanceof SfHttpError);
    return { status: e.status, errorCode: e.errors[0]!.errorCode, message: e.errors[0]!.message };
  }
  assert.fail('expected an error');
}

describe('parseQueryJobRequest', () => {
  it('parseQueryJobRequest fills the defaults (CSV, COMMA, LF)', () => {
    assert.deepEqual(parseQueryJobRequest('{"operation":"query","query":"SELECT Id FROM Account"}'), {
      operation: 'query',
      query: 'SELECT Id FROM Account',
      contentType: 'CSV',
      columnDelimiter: 'COMMA',
      lineEnding: 'LF',
    });
  });

  it('parseQueryJobRequest keeps explicit options and treats null as unset', () => {
    const r = parseQueryJobRequest('{"operation":"queryAll","query":"SELECT Id FROM Account","columnDelimiter":"TAB","lineEnding":"CRLF","contentType":null}');
    assert.equal(r.operation, 'queryAll');
    assert.equal(r.columnDelimiter, 'TAB');
    assert.equal(r.lineEnding, 'CRLF');
    assert.equal(r.contentType, 'CSV');
  });

  it('parseQueryJobRequest names the bad field', () => {
    const op = errorOf('{"operation":"insert","query":"SELECT Id FROM Account"}');
    assert.equal(op.status, 400);
    assert.equal(op.errorCode, 'INVALIDJOB');
    assert.match(op.message, /operation: insert/);
    assert.match(errorOf('{"operation":"query","query":"SELECT Id FROM Account","columnDelimiter":"COLON"}').message, /columnDelimiter: COLON/);
    assert.match(errorOf('{"operation":"query","query":"SELECT Id FROM Account","lineEnding":"CR"}').message, /lineEnding: CR/);
    assert.match(errorOf('{"operation":"query","query":"SELECT Id FROM Account","contentType":"JSON"}').message, /contentType: JSON/);
    assert.match(errorOf('{"query":"SELECT Id FROM Account"}').message, /missing: operation/);
    assert.match(errorOf('{"operation":"query"}').message, /missing: query/);
  });

  it('parseQueryJobRequest answers JSON_PARSER_ERROR for a body that is not a JSON object', () => {
    assert.equal(errorOf('operation=query').errorCode, 'JSON_PARSER_ERROR');
    assert.equal(errorOf('[1]').errorCode, 'JSON_PARSER_ERROR');
  });
});
