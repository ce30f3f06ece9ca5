import type { SessionInfo } from '../../sessions/inspectSessions.js';

/** Counts by status, for `sessions` and the one line of `status`. */
export interface SessionsSummary {
  readonly files: number;
  readonly stored: number;
  readonly expired: number;
  readonly dropped: number;
  readonly unreadable: number;
  readonly corrupt: number;
  /** Files whose state is encrypted. */
  readonly encrypted: number;
  /** Whether a key (BUNDLE_CACHE_SESSION_KEY) is set here, to read and to write encrypted files. */
  readonly keySet: boolean;
}

export function summarizeSessions(sessions: readonly SessionInfo[], keySet: boolean): SessionsSummary {
  const count = (status: SessionInfo['status']) => sessions.filter(info => info.status === status).length;
  return {
    files: sessions.length,
    stored: count('stored'),
    expired: count('expired'),
    dropped: count('dropped'),
    unreadable: count('unreadable'),
    corrupt: count('corrupt'),
    encrypted: sessions.filter(info => info.encrypted).length,
    keySet,
  };
}

/** `3: 1 stored, 1 expired, 1 dropped` (the non-zero ones), or `none`. */
export function summaryText(summary: SessionsSummary): string {
  if (!summary.files)
    return 'none';
  const parts = (['stored', 'expired', 'dropped', 'unreadable', 'corrupt'] as const).filter(status => summary[status]).map(status => `${summary[status]} ${status}`);
  return `${summary.files}: ${parts.join(', ')}`;
}
