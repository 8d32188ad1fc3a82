"use client";

// Side-by-side JSON diff (CodeMirror's merge view, bundled with the app: no CDN). Read-only.
import { json } from "@codemirror/lang-json";
import { MergeView } from "@codemirror/merge";
import { EditorState } from "@codemirror/state";
import { EditorView, lineNumbers } from "@codemirror/view";
import { useEffect, useRef } from "react";

import { editorTheme } from "./editor-theme";

const extensions = [lineNumbers(), json(), editorTheme, EditorState.readOnly.of(true), EditorView.editable.of(false), EditorView.lineWrapping];

export function MergeJson({ left, right, leftLabel, rightLabel, testId }: { left: string; right: string; leftLabel: string; rightLabel: string; testId?: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const view = new MergeView({
      a: { doc: left, extensions: [...extensions, EditorView.contentAttributes.of({ "aria-label": leftLabel })] },
      b: { doc: right, extensions: [...extensions, EditorView.contentAttributes.of({ "aria-label": rightLabel })] },
      parent: host.current,
      collapseUnchanged: { margin: 3, minSize: 6 },
      gutter: true,
    });
    return () => view.destroy();
  }, [left, right, leftLabel, rightLabel]);
  return (
    <div className="overflow-hidden rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900" data-testid={testId}>
      <div className="grid grid-cols-2 border-b border-slate-200 text-xs font-medium text-slate-500 dark:border-slate-800">
        <span className="px-3 py-1.5">{leftLabel}</span>
        <span className="border-l border-slate-200 px-3 py-1.5 dark:border-slate-800">{rightLabel}</span>
      </div>
      <div ref={host} className="max-h-[32rem] overflow-auto" />
    </div>
  );
}
