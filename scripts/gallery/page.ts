/** The HTML page a card is drawn on: Teams-like surroundings for one theme. */

export type ThemeName = 'light' | 'dark';

export interface Theme {
  name: ThemeName;
  hostConfigFile: string;
  /** The Teams chat pane behind the card; the card itself takes its colour from the host config. */
  pageBackground: string;
  css: string;
}

// The adaptivecards renderer leaves button chrome to the host; these mimic Teams' buttons.
const buttonCss = (b: { bg: string; border: string; text: string; primaryBg: string; primaryText: string }): string => `
  .ac-pushButton { background: ${b.bg}; color: ${b.text}; border: 1px solid ${b.border}; border-radius: 4px;
    font: 600 14px 'Segoe UI', 'Liberation Sans', sans-serif; min-height: 32px; padding: 4px 12px; cursor: pointer;
    overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .ac-pushButton.style-positive { background: ${b.primaryBg}; color: ${b.primaryText}; border-color: ${b.primaryBg}; }
  .ac-pushButton > div { overflow: hidden; text-overflow: ellipsis; }
`;

export const THEMES: readonly Theme[] = [
  {
    name: 'light',
    hostConfigFile: 'hostconfig.microsoft-teams-light.json',
    pageBackground: '#f5f5f5',
    css: buttonCss({ bg: '#ffffff', border: '#d1d1d1', text: '#242424', primaryBg: '#5b5fc7', primaryText: '#ffffff' }),
  },
  {
    name: 'dark',
    hostConfigFile: 'hostconfig.microsoft-teams-dark.json',
    pageBackground: '#1f1f1f',
    css: buttonCss({ bg: '#292929', border: '#666666', text: '#ffffff', primaryBg: '#4f52b2', primaryText: '#ffffff' }),
  },
];

/** Width of a card in a Teams chat on desktop; wide enough to judge wrapping. */
export const CARD_WIDTH_PX = 520;

export function pageHtml(theme: Theme): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>PlanBridge cards (${theme.name})</title>
<style>
  html, body { margin: 0; background: ${theme.pageBackground}; }
  #stage { display: inline-block; padding: 24px; background: ${theme.pageBackground}; }
  #card { width: ${CARD_WIDTH_PX}px; border-radius: 8px; overflow: hidden;
    box-shadow: 0 1px 2px rgba(0, 0, 0, ${theme.name === 'dark' ? '0.6' : '0.14'}); }
  ${theme.css}
</style>
</head>
<body><div id="stage"><div id="card"></div></div></body>
</html>`;
}

/**
 * Runs in the page after adaptivecards.min.js: parses and renders one card into #card and returns
 * the renderer's parse warnings, so a template the real renderer dislikes is reported.
 */
export const IN_PAGE_RENDERER = `
window.renderPlanBridgeCard = function (card, hostConfig) {
  var AC = window.AdaptiveCards;
  var adaptiveCard = new AC.AdaptiveCard();
  adaptiveCard.hostConfig = new AC.HostConfig(hostConfig);
  var context = new AC.SerializationContext();
  adaptiveCard.parse(card, context);
  var warnings = [];
  for (var i = 0; i < context.eventCount; i++) warnings.push(context.getEventAt(i).message);
  var target = document.getElementById('card');
  target.replaceChildren(adaptiveCard.render());
  return warnings;
};
`;
