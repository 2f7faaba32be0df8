/** The DNS counterpart of HttpClient, for services answered over DNS (Team Cymru's hash registry). */
export interface DnsClient {
  /** TXT records of `name` (each record's strings joined), or null when the name does not exist. */
  txt(name: string): Promise<string[] | null>;
}
