/**
 * How PWA writes durations and work on the wire: a display string ("5d", "12.5h"), the same value
 * in milliseconds (Edm.Int32, so it overflows past about 596 hours; see odata.ts), and an Edm.Time
 * (an xsd:duration of elapsed time, as .NET's XmlConvert writes a TimeSpan: 40h is "P1DT16H").
 */

const trim = (n: number): number => (Number.isInteger(n) ? n : Number(n.toFixed(2)));

export function durationString(minutes: number, minutesPerDay: number): string {
  return `${trim(minutes / minutesPerDay)}d`;
}

export function workString(minutes: number): string {
  return `${trim(minutes / 60)}h`;
}

export function milliseconds(minutes: number): number {
  return Math.round(minutes * 60_000);
}

export function timeSpan(minutes: number): string {
  const total = Math.round(minutes * 60);
  const sign = total < 0 ? '-' : '';
  let s = Math.abs(total);
  const d = Math.floor(s / 86_400); s -= d * 86_400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  const time = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
  if (!d && !time) return 'PT0S';
  return `${sign}P${d ? `${d}D` : ''}${time ? `T${time}` : ''}`;
}

/** The three forms of one duration-like property, e.g. `Work`, `WorkMilliseconds`, `WorkTimeSpan`. */
export function workForms(name: string, minutes: number, text: string): Record<string, unknown> {
  return { [name]: text, [`${name}Milliseconds`]: milliseconds(minutes), [`${name}TimeSpan`]: timeSpan(minutes) };
}
