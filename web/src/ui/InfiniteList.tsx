/**
 * A list the API pages, growing as the reader nears its end. The next page loads when the end
 * of the list comes within reach of the viewport; a button does the same for keyboards and for
 * browsers without IntersectionObserver, and failures of a later page keep what is shown.
 */
import type { InfiniteData, UseInfiniteQueryResult } from "@tanstack/react-query";
import { useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Page } from "../api/types.js";
import { Empty, ErrorState, Loading } from "./states.js";

export interface InfiniteListProps<Item> {
  query: UseInfiniteQueryResult<InfiniteData<Page<Item>>>;
  label: string;
  itemKey(item: Item): string;
  renderItem(item: Item): ReactNode;
  empty: ReactNode;
  className?: string;
}

export function InfiniteList<Item>({
  query,
  label,
  itemKey,
  renderItem,
  empty,
  className,
}: InfiniteListProps<Item>) {
  const { t } = useTranslation();
  const end = useRef<HTMLDivElement>(null);
  const { data, error, hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = query;
  const canLoadMore = hasNextPage && !isFetchingNextPage && !isFetchNextPageError;

  useEffect(() => {
    const element = end.current;
    if (!element || !canLoadMore || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) void fetchNextPage();
      },
      { rootMargin: "0px 0px 600px 0px" },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [canLoadMore, fetchNextPage]);

  if (query.isPending && query.fetchStatus === "paused") return <Empty>{t("errors.offline")}</Empty>;
  if (query.isPending) return <Loading />;
  if (!data) return <ErrorState error={error} onRetry={() => void query.refetch()} />;
  const items = data.pages.flatMap((page) => page.items);
  if (items.length === 0) return <Empty>{empty}</Empty>;

  return (
    <>
      <ul className={className ?? "list"} aria-label={label} aria-busy={isFetchingNextPage}>
        {items.map((item) => (
          <li key={itemKey(item)}>{renderItem(item)}</li>
        ))}
      </ul>
      <div ref={end} className="list-end">
        {isFetchingNextPage ? (
          <Loading label={t("common.loadingMore")} />
        ) : isFetchNextPageError ? (
          <ErrorState error={error} onRetry={() => void fetchNextPage()} />
        ) : hasNextPage ? (
          <button type="button" className="button" onClick={() => void fetchNextPage()}>
            {t("common.loadMore")}
          </button>
        ) : (
          <p className="list-done">{t("common.endOfList")}</p>
        )}
      </div>
    </>
  );
}
