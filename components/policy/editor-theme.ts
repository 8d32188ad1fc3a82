// The CodeMirror look shared by the policy merge view and the wizard's policy editor.
import { EditorView } from "@codemirror/view";

export const editorTheme = EditorView.theme({
  "&": { fontSize: "12px", backgroundColor: "transparent" },
  ".cm-content": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace" },
  ".cm-gutters": { backgroundColor: "transparent", border: "none", color: "#94a3b8" },
  "&.cm-focused": { outline: "2px solid #6366f1" },
  ".cm-collapsedLines": { fontFamily: "inherit", color: "#64748b" },
  ".cm-collapsedLines:before, .cm-collapsedLines:after": { content: '"…"' },
});
