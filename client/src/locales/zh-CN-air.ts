/** Simplified Chinese: ambient air quality (AQI of the six pollutants, HJ 633). */
export const airZhCN = {
  air: {
    tab: '空气质量',
    index: {
      so2_1h: '二氧化硫',
      so2_24h: '二氧化硫',
      no2_1h: '二氧化氮',
      no2_24h: '二氧化氮',
      pm10_1h: '可吸入颗粒物',
      pm10_24h: '可吸入颗粒物',
      pm25_1h: '细颗粒物',
      pm25_24h: '细颗粒物',
      co_1h: '一氧化碳',
      co_24h: '一氧化碳',
      o3_1h: '臭氧（1 小时）',
      o3_8h: '臭氧（8 小时）',
    },
    map: {
      title: '空气质量站分布（最近一小时 AQI）',
      noData: '无数据',
      primary: '首要污染物：{primary}',
      note: '站点颜色按最近一个有 AQI 的小时的级别（HJ 633-2012）；灰色为无数据。',
    },
    trend: {
      title: '全市及各区县 AQI 趋势',
      hour: '近 3 天逐时',
      day: '近 30 天逐日',
      city: '全市',
      hourAxis: '时间（北京时间）',
      dayAxis: '日期',
      empty: '所选时段暂无 AQI。',
      note: '虚线为各级别上限（优 ≤ 50、良 ≤ 100、轻度污染 ≤ 150、中度污染 ≤ 200、重度污染 ≤ 300）。',
    },
    ranking: {
      title: '空气质量站排名',
      hour: '最近一小时',
      yesterday: '昨日',
      rank: '名次',
      aqi: 'AQI',
      time: '时段',
      primary: '首要污染物',
      pm25: '细颗粒物 µg/m³',
      pm10: '可吸入颗粒物 µg/m³',
      o3_1h: '臭氧 1 小时 µg/m³',
      o3_8h: '臭氧最大 8 小时 µg/m³',
      noteHour:
        '按 AQI 由高到低。小时 AQI 取二氧化硫、二氧化氮、一氧化碳、臭氧的 1 小时浓度，颗粒物按 24 小时浓度限值计算（HJ 633-2012）。',
      noteDay:
        '按 AQI 由高到低。日 AQI 取各污染物 24 小时平均、臭氧日最大 1 小时和最大 8 小时滑动平均；24 小时平均至少需 20 个有效小时（HJ 663-2013）。',
    },
  },
};
