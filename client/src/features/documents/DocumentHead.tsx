/** The head of an open note or whiteboard: back to the list, its title, its marking and its sync state. */
import { Link } from 'react-router';
import type { Account, Role, TitledDocument } from '@huntroom/shared';
import type { DocStatus } from '../../lib/collab/docStatus.js';
import { DocMarking } from '../../components/DocMarking.js';
import { DocStatusBadge } from '../../components/DocStatusBadge.js';

interface Props {
  back: string;
  doc: TitledDocument | undefined;
  /** REST path of the document, for marking changes. */
  path: string;
  account: Account;
  role: Role;
  status: DocStatus;
  onChanged: () => void;
  headingTestId: string;
}

export function DocumentHead({ back, doc, path, account, role, status, onChanged, headingTestId }: Props) {
  return (
    <div className="doc-head">
      <Link to=".." relative="path" className="muted back-link">
        ← {back}
      </Link>
      <h1 className="doc-title" data-testid={headingTestId}>
        {doc?.title ?? '…'}
      </h1>
      {doc && <DocMarking doc={doc} path={path} account={account} role={role} onChanged={onChanged} />}
      <DocStatusBadge status={status} />
    </div>
  );
}
