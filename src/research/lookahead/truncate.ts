/**
 * A dataset cut off after snapshot `last`: the same columns, viewed without copying, with every
 * later snapshot and row physically absent. What a strategy decides on it can only come from
 * the past; what it decides on the full data may also come from the future.
 */
import { Dataset, ROW_COLUMNS, SNAPSHOT_COLUMNS, type DatasetColumns, type TypedColumn } from '../../data/dataset.ts';

export function truncatedView(data: Dataset, last: number): Dataset {
  if (!(last >= 0 && last < data.snapshotCount)) throw new RangeError(`cannot cut the data after snapshot ${last} of ${data.snapshotCount}`);
  const c = data.cols as unknown as Record<string, TypedColumn>;
  const rows = data.cols.rowStart[last + 1]!;
  const cols: Record<string, TypedColumn> = {};
  for (const k of Object.keys(SNAPSHOT_COLUMNS)) cols[k] = c[k]!.subarray(0, k === 'rowStart' ? last + 2 : last + 1);
  for (const k of Object.keys(ROW_COLUMNS)) cols[k] = c[k]!.subarray(0, rows);
  // Names get their ids in first-seen order, so the names seen so far are a prefix of the list.
  let maxName = -1;
  for (let r = 0; r < rows; r++) if (data.cols.nameId[r]! > maxName) maxName = data.cols.nameId[r]!;
  return new Dataset(cols as unknown as DatasetColumns, {
    ...data.meta,
    timeText: data.meta.timeText.slice(0, last + 1),
    names: data.meta.names.slice(0, maxName + 1),
    warnings: [...data.meta.warnings],
  });
}
