function (newDoc, oldDoc, userCtx, secObj) {
  // Who may write what in a Latitude team workspace. CouchDB runs this on every write,
  // replicated ones included. Readers are let in by the database's _security (members
  // with the role "reader") and may only read.
  var roles = userCtx.roles || [];
  function has(role) { return roles.indexOf(role) !== -1; }
  if (has('_admin')) { return; }
  if (!userCtx.name) {
    throw({ unauthorized: 'Log in to change this workspace.' });
  }
  if (!has('leader') && !has('member')) {
    throw({ forbidden: 'You may read this workspace but not change it (a server admin gives the member role with latitude-cli couch member).' });
  }
  if (newDoc.by !== userCtx.name) {
    throw({ forbidden: 'A record must name who wrote it: ' + userCtx.name + ', not ' + JSON.stringify(newDoc.by) + '.' });
  }
  var id = String(newDoc._id);
  var kind = id.split(':')[0];
  var kinds = ['workspace', 'policy', 'issued', 'unit', 'area', 'grant', 'commitment', 'checkin', 'decision', 'review', 'pulse', 'workshop'];
  if (kinds.indexOf(kind) === -1) {
    throw({ forbidden: 'Not a Latitude record: ' + id + '.' });
  }
  if (!newDoc._deleted && newDoc.type !== kind) {
    throw({ forbidden: 'The record in ' + id + ' is not a ' + kind + '.' });
  }
  if ((kind === 'grant' || kind === 'review' || kind === 'policy') && !has('leader')) {
    throw({ forbidden: 'Only a leader may record grants, autonomy reviews and the scoring policy.' });
  }
  // A check-in's "recorded by" names a unit: only a member who leads it (role
  // unit:<id>@<database>) may name it, so the rigor component objectivity rests on who
  // actually recorded the value. Leaders record the team's history (sharing a workspace
  // uploads its past check-ins); an edit that keeps the recorder is no new claim.
  if (kind === 'checkin' && !newDoc._deleted && !has('leader')) {
    var recorder = function (doc) {
      var r = doc && !doc._deleted && doc.record && doc.record.checkin ? doc.record.checkin.recorded_by : null;
      return r === undefined ? null : r;
    };
    var unit = recorder(newDoc);
    if (unit !== null && unit !== recorder(oldDoc) && !has('unit:' + unit + '@' + (userCtx.db || this.database))) {
      throw({ forbidden: 'Only someone who leads unit ' + unit + ' may record a check-in as recorded by it: a server admin gives ' + userCtx.name + ' that unit with latitude-cli couch member --unit.' });
    }
  }
  if (kind === 'issued' && id !== 'issued:' + userCtx.name && !(id === 'issued' && has('leader'))) {
    throw({ forbidden: 'Each member records only its own issued ids.' });
  }
}
