/** English: the review of maintenance declarations, and internal notes on alerts. */
import type { maintenanceZhCN } from './zh-CN-maintenance';

export const maintenanceEn: typeof maintenanceZhCN = {
  review: {
    title: 'Maintenance / stoppage declarations',
    filter: { all: 'All', pending: 'Pending', approved: 'Approved', rejected: 'Rejected' },
    status: { pending: 'Pending review', approved: 'In effect', rejected: 'Rejected' },
    phase: { current: 'Running', upcoming: 'Not started', past: 'Over' },
    wholeEnterprise: 'Whole enterprise (every outlet)',
    period: '{from} to {to}',
    hours: '{n} h in all',
    declaredBy: 'declared by {who}',
    reviewedBy: 'reviewed by {who} at {time}',
    autoApproved: 'One outlet, short: in effect as declared',
    endedBy: 'ended by {who} at {time}',
    note: 'Review note: {note}',
    approve: 'Approve',
    reject: 'Reject',
    end: 'End',
    approveTitle: 'Approve the declaration',
    rejectTitle: 'Reject the declaration',
    approveNote: 'Note (shown to the enterprise, optional)',
    rejectReason: 'Reason (shown to the enterprise)',
    empty: 'No declarations',
    pendingCount: '{n} pending',
    neverQuiet: 'During maintenance, bypass, offline, instrument-fault and suspected-falsification (flat-line) alerts are still notified.',
    needsApproval:
      'A declaration for the whole enterprise, or longer than allowed, takes effect once the bureau approves it; ' +
      'it may not start in the past.',
    declaredPending: 'Declared, waiting for the bureau’s review',
    declaredApproved: 'Declared, in effect',
    failed: 'Failed: {message}',
  },
  notes: {
    internal: 'Bureau only',
    visibleToEnterprise: 'Visible to the enterprise',
    visibleHint: 'Bureau only by default; switch on to let the enterprise see this note',
  },
};
