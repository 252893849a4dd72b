/**
 * The song attributes of the passages an embedded index holds, kept compactly: passages whose
 * attributes are equal (normally every passage of one song) share one frozen record, so memory
 * grows with songs rather than passages, and a passage costs only the number of its record's
 * slot. Records are reference-counted and dropped with their last passage.
 *
 * Attributes belong to each passage, as they would in a remote engine's documents: upserting a
 * passage with other attributes moves that passage alone to another record.
 */
import {
  filterableFeatures,
  matchesSongFilter,
  type SongAttributes,
  type SongFilter,
} from "../../core/catalog/song-filter.js";

/** Which records a filter accepts, and how many passages they hold. */
export interface FilterMatch {
  /** 1 at the slot of every accepted record. */
  readonly accepted: Uint8Array;
  readonly passages: number;
  /** The same passages counted by their song's language. */
  readonly passagesByLanguage: ReadonlyMap<string | null, number>;
}

/** Filters remembered per generation of the table: a prompt's filter is usually asked again. */
const REMEMBERED_FILTERS = 16;

export class SongAttributeTable {
  #records: (SongAttributes | null)[] = [];
  #keys: (string | null)[] = [];
  #passages: number[] = [];
  #slotByKey = new Map<string, number>();
  #freeSlots: number[] = [];
  /** Bumped whenever a record appears or disappears: remembered filter matches are then stale. */
  #generation = 0;
  #matches = new Map<string, FilterMatch>();
  #matchesGeneration = -1;

  /** Records in use (≈ songs). */
  get size(): number {
    return this.#slotByKey.size;
  }

  /** One more passage with these attributes; returns the slot of their record. */
  acquire(song: SongAttributes): number {
    const key = recordKey(song);
    let slot = this.#slotByKey.get(key);
    if (slot === undefined) {
      slot = this.#freeSlots.pop() ?? this.#records.length;
      this.#records[slot] = copyAttributes(song);
      this.#keys[slot] = key;
      this.#passages[slot] = 0;
      this.#slotByKey.set(key, slot);
      this.#generation++;
    }
    this.#passages[slot]!++;
    return slot;
  }

  /** One passage fewer on this slot's record; the record goes with its last passage. */
  release(slot: number): void {
    const remaining = --this.#passages[slot]!;
    if (remaining > 0) return;
    this.#slotByKey.delete(this.#keys[slot]!);
    this.#records[slot] = null;
    this.#keys[slot] = null;
    this.#freeSlots.push(slot);
    this.#generation++;
  }

  attributes(slot: number): SongAttributes {
    const record = this.#records[slot];
    if (!record) throw new Error(`no song attributes at slot ${slot}`);
    return record;
  }

  clear(): void {
    this.#records = [];
    this.#keys = [];
    this.#passages = [];
    this.#slotByKey.clear();
    this.#freeSlots = [];
    this.#generation++;
  }

  /** The records a filter accepts, computed once per filter until the records change. */
  match(filter: SongFilter): FilterMatch {
    if (this.#matchesGeneration !== this.#generation) {
      this.#matches.clear();
      this.#matchesGeneration = this.#generation;
    }
    const key = JSON.stringify(filter);
    const known = this.#matches.get(key);
    if (known) return known;
    const accepted = new Uint8Array(this.#records.length);
    let passages = 0;
    const passagesByLanguage = new Map<string | null, number>();
    this.#records.forEach((record, slot) => {
      if (record !== null && matchesSongFilter(record, filter)) {
        accepted[slot] = 1;
        const count = this.#passages[slot]!;
        passages += count;
        passagesByLanguage.set(record.language, (passagesByLanguage.get(record.language) ?? 0) + count);
      }
    });
    const found = { accepted, passages, passagesByLanguage };
    if (this.#matches.size >= REMEMBERED_FILTERS) this.#matches.delete(this.#matches.keys().next().value!);
    this.#matches.set(key, found);
    return found;
  }
}

const attributeOrder = ["songId", "language", "genre", "year", ...filterableFeatures] as const;

function recordKey(song: SongAttributes): string {
  return JSON.stringify(attributeOrder.map((name) => song[name]));
}

/** Only the known fields, frozen: a caller mutating its object later must not change the index. */
function copyAttributes(song: SongAttributes): SongAttributes {
  const copy = {} as Record<string, unknown>;
  for (const name of attributeOrder) copy[name] = song[name];
  return Object.freeze(copy) as SongAttributes;
}
