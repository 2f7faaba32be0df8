// Team Cymru Malware Hash Registry, DNS interface: https://www.team-cymru.com/mhr
import { z } from 'zod';

/**
 * One TXT answer: "<last seen, Unix epoch seconds> <AV detection rate, percent>", e.g. "1277221946 79".
 * Both numbers decide the verdict, so anything else is a bad answer, never "not found".
 */
export const mhrAnswer = z
  .string()
  .trim()
  .regex(/^\d+ \d{1,3}$/, 'expected "<epoch> <detection %>"')
  .transform((text) => {
    const [epoch = '', rate = ''] = text.split(' ');
    return { lastSeen: new Date(Number(epoch) * 1000), detectionRate: Number(rate) };
  })
  .refine((answer) => answer.detectionRate <= 100, 'detection rate above 100%');

export type MhrAnswer = z.output<typeof mhrAnswer>;
