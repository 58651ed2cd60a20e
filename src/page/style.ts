// The translation page's stylesheet (./html.ts inlines it): system fonts, light and dark, one column of cards on a
// phone (390 px), the text and its translation side by side from 48rem. Every `main > section` is a card, so a
// feature's section (./documents.ts) looks like the others without classes of its own.
export const STYLE = `
:root {
  color-scheme: light dark;
  --bg: #f4f6fb; --surface: #fff; --text: #111827; --muted: #5b6475; --line: #dde2ea; --accent: #2563eb;
  --accent-soft: #e8efff; --radius: 14px; --shadow: 0 1px 2px rgb(16 24 40 / .06), 0 4px 16px rgb(16 24 40 / .06);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Hiragino Sans", "Noto Sans JP", sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #0f1420; --surface: #171d2b; --text: #e7eaf0; --muted: #9aa3b5; --line: #2a3344; --accent: #6b9bff; --accent-soft: #1d2a47; --shadow: none; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); line-height: 1.5; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
textarea, select, input, button { font: inherit; color: inherit; }
.bar, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
.bar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem 1rem; padding-block: 1rem; }
.brand { display: flex; align-items: center; gap: .6rem; font-size: 1.2rem; font-weight: 700; color: inherit; text-decoration: none; }
.bar nav { display: flex; gap: 1rem; font-size: .95rem; }
main { display: grid; gap: 1rem; }
main > section { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); padding: 1rem; min-width: 0; }
main > section[hidden] { display: none; }
h2 { font-size: 1rem; margin: 0 0 .5rem; }
label { font-weight: 600; }
.muted, #status { color: var(--muted); font-size: .9rem; }
.controls { display: flex; flex-wrap: wrap; gap: .75rem 1.5rem; align-items: center; margin-bottom: 1rem; }
.controls > div { display: flex; gap: .5rem; align-items: center; }
select { padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 8px; background: var(--surface); }
input[type=range] { accent-color: var(--accent); width: 8rem; }
input[type=checkbox] { accent-color: var(--accent); width: 1.1rem; height: 1.1rem; }
input[type=file] { max-width: 100%; }
output { min-width: 1.5ch; font-variant-numeric: tabular-nums; }
.panes { display: grid; gap: 1rem; }
@media (min-width: 48rem) { .panes { grid-template-columns: 1fr 1fr; } }
.pane { display: flex; flex-direction: column; gap: .4rem; min-width: 0; }
textarea { width: 100%; min-height: 10rem; padding: .75rem; font-size: 1.1rem; border: 1px solid var(--line); border-radius: 10px; background: var(--bg); resize: vertical; }
.output { background: var(--accent-soft); border-radius: 10px; padding: .75rem; }
.output h2 { font-size: .85rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0; }
#translation { font-size: 1.35rem; min-height: 2rem; margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
#translation:empty::before { content: "…"; color: var(--muted); }
#status { margin: 0; }
#status:empty { display: none; }
#nbest { margin: 0; padding-left: 1.5rem; }
#nbest li { margin: .35rem 0; }
#nbest .score { display: inline-block; margin-left: .5rem; padding: 0 .45rem; border-radius: 999px; background: var(--accent-soft); color: var(--muted); font-size: .8rem; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; max-width: 100%; }
#heatmap table { border-collapse: collapse; font-size: .85rem; margin-bottom: .75rem; }
#heatmap caption { text-align: left; font-weight: 600; padding: .25rem 0; }
#heatmap th { font-weight: 500; padding: .2rem .4rem; white-space: nowrap; }
#heatmap thead th { vertical-align: bottom; }
#heatmap tbody th { position: sticky; left: 0; background: var(--surface); text-align: right; }
#heatmap td { min-width: 2rem; height: 2rem; border: 1px solid var(--line); }
.drop { border: 2px dashed var(--line); border-radius: 10px; padding: 1rem; }
.drop.over { border-color: var(--accent); background: var(--accent-soft); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
footer { padding-block: 1.5rem; color: var(--muted); font-size: .85rem; }
`;
