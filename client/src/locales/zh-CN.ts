/** Simplified Chinese, the default language. Its shape is the schema every other locale follows. */
const zhCN = {
  app: {
    name: 'O3 Sentinel',
    subtitle: '臭氧前体物监控预警',
  },
  lang: {
    switchTo: 'English',
    label: '切换语言',
  },
  connection: {
    connected: '实时连接',
    reconnecting: '正在重连',
    disconnected: '未连接',
    connecting: '正在连接服务器…',
    lost: '与服务器的连接已中断，正在重连（第 {attempt} 次尝试）。页面数据停留在 {time}，可能已过时。',
    down: '无法连接服务器。页面数据停留在 {time}，可能已过时。',
    rejected: '已拒收 {n} 条格式异常的推送',
  },
  stale: '数据过时',
  alerts: {
    title: '实时报警',
    active: '活动 {n}',
    total: '共 {n} 条',
    empty: '暂无报警',
    showResolved: '显示已恢复',
    col: {
      severity: '级别',
      state: '状态',
      source: '监控点 / 企业',
      factor: '因子',
      value: '监测值',
      limit: '限值',
      openedAt: '开始时间',
      count: '次数',
    },
    peak: '峰值 {value}',
    resolvedAt: '恢复于 {time}',
  },
  severity: {
    info: '提示',
    warning: '预警',
    major: '重要',
    critical: '严重',
  },
  alertState: {
    active: '报警中',
    resolved: '已恢复',
  },
  sources: {
    title: '监控点实时数据',
    empty: '暂无监控点',
    all: '全部 {n}',
    lastReport: '最近上报',
    never: '从未上报',
    noValues: '暂无监测数据',
    quiet: '超过 {min} 分钟未上报',
    trend: '查看 {factor} 趋势',
  },
  status: {
    normal: '正常',
    exceeding: '超标',
    offline: '离线',
    nodata: '无数据',
  },
  flag: {
    N: '正常',
    F: '停运',
    M: '维护',
    S: '手工输入',
    D: '故障',
    C: '校准',
    T: '超测定上限',
    B: '通讯异常',
  },
  trend: {
    title: '实时趋势',
    since: '最近 30 分钟的存储数据，随后实时更新',
    empty: '尚未收到该因子的数据',
    none: '点击监控点中的因子查看趋势',
    limit: '限值 {value}',
  },
};

export type MessageSchema = typeof zhCN;
export default zhCN;
