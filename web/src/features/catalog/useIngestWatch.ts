import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useCatalog } from "../../api/catalog.js";
import { keys } from "../../api/keys.js";

/**
 * The catalog's state for pages that show answers: while an ingest runs they say so, and when
 * it ends every answer is asked again, so what stays on screen is the final one.
 */
export function useIngestWatch() {
  const catalog = useCatalog();
  const client = useQueryClient();
  const ingesting = catalog.data?.ingest != null;
  const wasIngesting = useRef(false);
  useEffect(() => {
    if (wasIngesting.current && !ingesting) {
      void client.invalidateQueries({ queryKey: keys.allAsks });
      void client.invalidateQueries({ queryKey: ["prompts", "one"] });
    }
    wasIngesting.current = ingesting;
  }, [ingesting, client]);
  return catalog;
}
