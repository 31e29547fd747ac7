/** English. */
import type { MessageSchema } from './zh-CN';

const en: MessageSchema = {
  app: {
    name: 'O3 Sentinel',
    subtitle: 'Ozone precursor monitoring & alerting',
  },
  lang: {
    switchTo: '中文',
    label: 'Switch language',
  },
  connection: {
    connected: 'Live',
    reconnecting: 'Reconnecting',
    disconnected: 'Not connected',
    connecting: 'Connecting to the server…',
    lost: 'Connection to the server lost, reconnecting (attempt {attempt}). Data shown is as of {time} and may be out of date.',
    down: 'Cannot reach the server. Data shown is as of {time} and may be out of date.',
    rejected: '{n} malformed updates rejected',
  },
  stale: 'Stale',
  alerts: {
    title: 'Live alerts',
    active: '{n} active',
    total: '{n} in total',
    empty: 'No alerts',
    showResolved: 'Show cleared',
    col: {
      severity: 'Severity',
      state: 'State',
      source: 'Source / enterprise',
      factor: 'Factor',
      value: 'Value',
      limit: 'Limit',
      openedAt: 'Opened',
      count: 'Count',
    },
    peak: 'peak {value}',
    resolvedAt: 'cleared {time}',
  },
  severity: {
    info: 'Info',
    warning: 'Warning',
    major: 'Major',
    critical: 'Critical',
  },
  alertState: {
    active: 'Active',
    cleared: 'Cleared',
  },
  sources: {
    title: 'Latest values',
    empty: 'No sources',
    all: 'All {n}',
    lastReport: 'Last report',
    never: 'Never reported',
    noValues: 'No values yet',
    quiet: 'No report for over {min} min',
    trend: 'Show {factor} trend',
  },
  status: {
    normal: 'Normal',
    exceeding: 'Exceeding',
    offline: 'Offline',
    nodata: 'No data',
  },
  flag: {
    N: 'Normal',
    F: 'Stopped',
    M: 'Maintenance',
    S: 'Manual entry',
    D: 'Fault',
    C: 'Calibration',
    T: 'Above range',
    B: 'Communication failure',
  },
  trend: {
    title: 'Live trend',
    since: 'Stored values of the last 30 minutes, then live',
    empty: 'No data for this factor yet',
    none: 'Click a factor of a source to see its trend',
    limit: 'limit {value}',
  },
  auth: {
    username: 'Username',
    password: 'Password',
    signIn: 'Sign in',
    signingIn: 'Signing in…',
    signOut: 'Sign out',
    required: 'Required',
    wrong: 'Wrong username or password',
    locked: 'Too many attempts: the account is locked for a while, try again later',
    network: 'Cannot reach the server, try again later',
    role: {
      admin: 'Administrator',
      officer: 'Duty officer',
      ozone: 'Ozone control centre',
      enterprise: 'Enterprise user',
    },
  },
};

export default en;
