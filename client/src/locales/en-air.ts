/** English: ambient air quality (AQI of the six pollutants, HJ 633). */
export const airEn = {
  air: {
    tab: 'Air quality',
    index: {
      so2_1h: 'SO₂',
      so2_24h: 'SO₂',
      no2_1h: 'NO₂',
      no2_24h: 'NO₂',
      pm10_1h: 'PM10',
      pm10_24h: 'PM10',
      pm25_1h: 'PM2.5',
      pm25_24h: 'PM2.5',
      co_1h: 'CO',
      co_24h: 'CO',
      o3_1h: 'O₃ (1-h)',
      o3_8h: 'O₃ (8-h)',
    },
    map: {
      title: 'Air-quality stations (latest hourly AQI)',
      noData: 'No data',
      primary: 'Primary pollutant: {primary}',
      note: 'Each station in the colour of its latest hour with an AQI (HJ 633-2012); grey: no data.',
    },
    trend: {
      title: 'AQI of the city and the districts',
      hour: 'Last 3 days, hourly',
      day: 'Last 30 days, daily',
      city: 'City',
      hourAxis: 'Time (China)',
      dayAxis: 'Date',
      empty: 'No AQI in this period.',
      note: 'Dashed lines: the top of each level (Excellent ≤ 50, Good ≤ 100, Lightly ≤ 150, Moderately ≤ 200, Heavily polluted ≤ 300).',
    },
    ranking: {
      title: 'Air-quality stations ranked',
      hour: 'Latest hour',
      yesterday: 'Yesterday',
      rank: 'Rank',
      aqi: 'AQI',
      time: 'Period',
      primary: 'Primary pollutant',
      pm25: 'PM2.5 µg/m³',
      pm10: 'PM10 µg/m³',
      o3_1h: 'O₃ 1-h µg/m³',
      o3_8h: 'O₃ max 8-h µg/m³',
      noteHour:
        'Highest AQI first. The hourly AQI rates SO₂, NO₂, CO and O₃ 1-h means, and particulate 1-h means on the 24-h breakpoints (HJ 633-2012).',
      noteDay:
        'Highest AQI first. The daily AQI rates 24-h means, the O₃ daily maximum 1-h and 8-h moving means; a 24-h mean needs 20 valid hours (HJ 663-2013).',
    },
  },
};
