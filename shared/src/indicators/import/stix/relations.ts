/**
 * What other objects of a bundle attach to the candidates an object gave: ATT&CK techniques
 * (`indicates` to an attack-pattern, and Huntroom's `targets` for a CVE), comments (notes and
 * opinions, each with its own marking) and sightings (with OpenCTI's false-positive flag).
 */
import type { Candidate, CandidateComment } from '../../candidates.js';
import { INDICATOR_LIMITS } from '../../../records/indicators.js';
import { strings, type BundleIndex } from './bundle.js';
import { readHuntroomExtension, type HuntroomExtension } from './extension.js';
import type { StixObject } from './observables.js';
import { stixTime } from './time.js';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** Techniques, comments and sightings that other objects attach to the candidates. */
export function relate(objects: StixObject[], index: BundleIndex, produced: Map<string, Candidate[]>) {
  for (const o of objects) {
    if (!o || typeof o !== 'object') continue;
    if (o.type === 'relationship') {
      // indicator --indicates--> attack-pattern, and Huntroom's own attack-pattern --targets--> vulnerability (a CVE's technique).
      const [from, to] = o.relationship_type === 'indicates' ? [o.source_ref, o.target_ref] : o.relationship_type === 'targets' ? [o.target_ref, o.source_ref] : [];
      const technique = index.technique(to);
      if (!technique || typeof from !== 'string') continue;
      for (const c of produced.get(from) ?? [])
        if (!c.techniques?.includes(technique) && (c.techniques?.length ?? 0) < INDICATOR_LIMITS.techniquesMax) c.techniques = [...(c.techniques ?? []), technique];
    } else if (o.type === 'note' || o.type === 'opinion') {
      const body =
        o.type === 'note'
          ? [text(o.abstract), text(o.content)].filter(Boolean).join('\n\n')
          : [`Opinion: ${typeof o.opinion === 'string' ? o.opinion : 'unstated'}`, text(o.explanation)].filter(Boolean).join('\n\n');
      if (!body) continue;
      let ext: HuntroomExtension | undefined;
      let broken = false;
      try {
        ext = readHuntroomExtension(o);
      } catch {
        broken = true;
      }
      const comment: CandidateComment = {
        body: body.slice(0, INDICATOR_LIMITS.commentMax),
        ...(index.tlpOf(o) ? { tlp: index.tlpOf(o)! } : {}),
        ...(ext?.releasableTo?.length ? { releasableTo: ext.releasableTo } : {}),
      };
      for (const ref of strings(o.object_refs)) {
        for (const c of produced.get(ref) ?? []) {
          // A note whose Huntroom releasability cannot be read is left out rather than shown to every team.
          if (broken) continue;
          if (!c.comments?.some((x) => x.body === comment.body)) c.comments = [...(c.comments ?? []), comment];
        }
      }
    } else if (o.type === 'sighting' && typeof o.sighting_of_ref === 'string') {
      const count = typeof o.count === 'number' && Number.isInteger(o.count) && o.count >= 0 ? o.count : 1;
      const seen = stixTime(o.last_seen) ?? stixTime(o.first_seen);
      const context = text(o.description)?.slice(0, INDICATOR_LIMITS.contextMax);
      for (const c of produced.get(o.sighting_of_ref) ?? []) {
        c.sightings = [...(c.sightings ?? []), { count, ...(seen ? { seenAt: seen } : {}), ...(context ? { context } : {}) }];
        // OpenCTI's false-positive sighting: someone who saw it says it is harmless (as MISP's sighting type 1).
        if (o.x_opencti_negative === true && !c.status) {
          c.status = 'false-positive';
          c.benign ??= 'reported as a false positive (OpenCTI negative sighting): saved as false-positive if ticked';
        }
      }
    }
  }
}
