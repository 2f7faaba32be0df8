/**
 * GitHub Actions workflow commands (`::error title=…::message`): the runner turns them into
 * annotations on the run's summary page and the pull request, so a failed gate says why without
 * anyone opening the log. Written to stderr, which the runner reads too, so stdout stays the report.
 */

/** `%`, CR and LF would end or corrupt the command; property values also escape `:` and `,`. */
function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

export function isGitHubActions(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

export function githubAnnotation(level: 'error' | 'warning', title: string, message: string): string {
  return `::${level} title=${escapeProperty(title)}::${escapeData(message)}\n`;
}
