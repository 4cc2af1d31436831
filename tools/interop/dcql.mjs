// DCQL interop driver around the `dcql` npm package, run by
// internal/dcql/interop_test.go.
//
//   node dcql.mjs match < request.json > response.json
//
// match {query, credentials: [{credential_format, vct, claims,
//        cryptographic_holder_binding, authority?} | {credential_format:
//        "mso_mdoc", doctype, namespaces, cryptographic_holder_binding}]}
//       -> {ok: true, result} | {ok: false, error}
//
// result is the package's own query result (DcqlQuery.query): per credential
// query its success, valid credentials (input_credential_index) and their
// valid claim sets (claim_set_index, output); per credential set its
// matching_options; and can_be_satisfied. A query the package refuses in
// DcqlQuery.parse or DcqlQuery.validate gives {ok: false, error}.
//
// The request may be an array of such objects, answered by an array.

import { DcqlQuery } from 'dcql';
import { run } from './driver.mjs';

function match(req) {
  let query;
  try {
    query = DcqlQuery.parse(req.query);
    DcqlQuery.validate(query);
  } catch (e) {
    return { ok: false, error: String(e?.message ?? e) };
  }
  return { ok: true, result: DcqlQuery.query(query, req.credentials) };
}

const commands = { match };

await run('dcql.mjs', commands);
