const dateForm = /^(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/;
const dateTimeForm = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

function daysIn(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function offsetProblem(offset: string | undefined): string | undefined {
  if (!offset || offset === 'Z') return undefined;
  const hours = Number(offset.slice(1, 3));
  const minutes = Number(offset.slice(4, 6));
  return hours > 14 || minutes > 59 || (hours === 14 && minutes > 0) ? `time-zone offset ${offset} is out of range` : undefined;
}

function calendarProblem(year: string, month: string, day: string): string | undefined {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12) return `month ${month} does not exist`;
  if (d < 1 || d > daysIn(y, m)) return `${year}-${month} has no day ${day}`;
  return undefined;
}

/**
 * Why a date (`xs:date`) or date-time (`xs:dateTime`) value is not a real
 * point in the calendar, or `undefined` when it is. `2026-02-30` and
 * `2026-04-31T10:00:00Z` are refused even though their lexical shape is right.
 */
export function dateProblem(value: string): string | undefined {
  const date = dateForm.exec(value);
  if (date) return calendarProblem(date[1], date[2], date[3]) ?? offsetProblem(date[4]);
  const dateTime = dateTimeForm.exec(value);
  if (!dateTime) return `'${value}' is neither a date (YYYY-MM-DD) nor a date-time (YYYY-MM-DDThh:mm:ss)`;
  const [, year, month, day, hour, minute, second, , offset] = dateTime;
  const calendar = calendarProblem(year, month, day);
  if (calendar) return calendar;
  const endOfDay = hour === '24' && minute === '00' && second === '00' && !/[1-9]/.test(dateTime[7] ?? '');
  if ((Number(hour) > 23 && !endOfDay) || Number(minute) > 59 || Number(second) > 59) return `${hour}:${minute}:${second} is not a time of day`;
  return offsetProblem(offset);
}
