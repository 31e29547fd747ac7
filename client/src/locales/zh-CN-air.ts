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
