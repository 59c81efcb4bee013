/**
 * A minimal ATT&CK for ICS STIX bundle (one collection, matrix, tactic and technique T0999) that the
 * catalog accepts as version 99.0: the import routes' tests send it.
 */
export const miniAttackBundle = (techniqueName: string) => ({
  type: 'bundle',
  id: 'bundle--mini',
  objects: [
    { type: 'x-mitre-collection', id: 'x-mitre-collection--1', name: 'ICS ATT&CK', x_mitre_version: '99.0' },
    {
      type: 'x-mitre-matrix',
      id: 'x-mitre-matrix--1',
      name: 'ATT&CK for ICS',
      tactic_refs: ['x-mitre-tactic--1'],
      external_references: [{ source_name: 'mitre-attack', external_id: 'ics-attack' }],
    },
    {
      type: 'x-mitre-tactic',
      id: 'x-mitre-tactic--1',
      name: 'Impact',
      x_mitre_shortname: 'impact-ics',
      external_references: [{ source_name: 'mitre-attack', external_id: 'TA0105' }],
    },
    {
      type: 'attack-pattern',
      id: 'attack-pattern--1',
      name: techniqueName,
      kill_chain_phases: [{ kill_chain_name: 'mitre-ics-attack', phase_name: 'impact-ics' }],
      external_references: [{ source_name: 'mitre-attack', external_id: 'T0999' }],
    },
  ],
});
