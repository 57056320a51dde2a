// The operator's command line against a test server's own SQLite file, while the server runs
// (the database is in WAL mode with a busy timeout, so both processes can use it at once).
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const serverBin = process.env.BAOXUE_SERVER_BIN || path.join(__dirname, '../target/debug/sync-server');

function operator(server, ...args) {
  try {
    return execFileSync(serverBin, [...args, '--db', path.join(server.dir, 'baoxue.db')], { encoding: 'utf8' });
  } catch (error) {
    throw new Error(`sync-server ${args.join(' ')} failed:\n${error.stdout}\n${error.stderr}`);
  }
}

module.exports = {
  // Adds a school and answers its id.
  addSchool(server, { county, town, name }) {
    const said = operator(server, 'school', 'add', '--county', county, '--town', town, '--name', name);
    const found = said.match(/^school (\S+) /);
    if (!found) throw new Error(`no school id in: ${said}`);
    return found[1];
  },
  // Issues a one-time enrollment code for the school and answers it.
  enrollmentCode(server, school) {
    const said = operator(server, 'enroll', '--school', school);
    const found = said.match(/: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/);
    if (!found) throw new Error(`no code in: ${said}`);
    return found[1];
  },
  // The id of the enrolled device whose label is `label`.
  deviceLabelled(server, label) {
    const said = operator(server, 'devices', 'list');
    const line = said.split('\n').find((row) => row.includes(`"${label}"`));
    if (!line) throw new Error(`no device labelled ${label} in:\n${said}`);
    return line.split(/\s+/)[0];
  },
  revoke(server, device) {
    return operator(server, 'devices', 'revoke', device);
  },
  // Makes a shared link to `unit` (as `town:大井镇`) and answers its id and address.
  shareLink(server, unit, expires = '30d') {
    const said = operator(server, 'share', 'create', '--unit', unit, '--expires', expires, '--url', server.url);
    const id = said.match(/^shared link (\S+) /);
    const url = said.split('\n').find((line) => line.startsWith(server.url.replace(/\/$/, '')));
    if (!id || !url) throw new Error(`no link in: ${said}`);
    return { id: id[1], url };
  },
  revokeLink(server, id) {
    return operator(server, 'share', 'revoke', id);
  },
  backup(server, file) {
    return operator(server, 'backup', '--to', file);
  },
  // Replaces the running server's database by a backup's, as an operator would after a disk
  // failure.
  restore(server, file) {
    return operator(server, 'restore', '--from', file, '--force');
  },
};
