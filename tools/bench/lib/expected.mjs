// The projects a change affects, computed from the generated fleet alone (not from Nx): the
// project owning each changed file, every project whose build context holds it, and everything
// built FROM those, transitively.
export function expectedAffected(model, changedFiles) {
  const roots = [...model.projects].sort((a, b) => b.root.length - a.root.length);
  const touched = new Set();
  for (const file of changedFiles) {
    const owner = roots.find((p) => file === p.root || file.startsWith(`${p.root}/`));
    if (owner) touched.add(owner.name);
    for (const p of model.projects) {
      if (p.buildContexts.some((dir) => file.startsWith(`${dir}/`))) touched.add(p.name);
    }
  }
  const children = new Map();
  for (const p of model.projects) {
    for (const parent of p.parents) children.set(parent, [...(children.get(parent) ?? []), p.name]);
  }
  const affected = new Set(touched);
  const queue = [...touched];
  while (queue.length) {
    for (const child of children.get(queue.pop()) ?? []) {
      if (!affected.has(child)) {
        affected.add(child);
        queue.push(child);
      }
    }
  }
  return affected;
}

/** Precision and recall of `actual` against `expected`; nothing claimed has precision 1, nothing expected has recall 1. */
export function precisionRecall(actual, expected) {
  const hits = [...actual].filter((p) => expected.has(p)).length;
  return {
    precision: actual.size === 0 ? 1 : hits / actual.size,
    recall: expected.size === 0 ? 1 : hits / expected.size,
    falsePositives: [...actual].filter((p) => !expected.has(p)).sort(),
    falseNegatives: [...expected].filter((p) => !actual.has(p)).sort(),
  };
}
