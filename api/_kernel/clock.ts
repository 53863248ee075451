/** The business day is the Asia/Shanghai calendar day, whatever the server's zone. */
export const business_time_zone = 'Asia/Shanghai';

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: business_time_zone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export function businessDate(at: Date): string {
  return dayFormat.format(at);
}

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
