/**
 * The pages. Ask is the home page and comes with the first load; every other page is its own
 * chunk, fetched when first visited.
 */
import { createBrowserRouter, type RouteObject } from "react-router";
import { AskPage } from "../features/ask/AskPage.js";
import { Loading } from "../ui/states.js";
import { Layout } from "./Layout.js";
import { RouteError } from "./RouteError.js";

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
    HydrateFallback: Loading,
    children: [
      { index: true, element: <AskPage /> },
      {
        path: "signin",
        lazy: async () => ({ Component: (await import("../features/session/SignInPage.js")).SignInPage }),
      },
      {
        path: "signup",
        lazy: async () => ({ Component: (await import("../features/session/SignUpPage.js")).SignUpPage }),
      },
      {
        path: "prompts",
        lazy: async () => ({ Component: (await import("../features/prompts/PromptsPage.js")).PromptsPage }),
      },
      {
        path: "prompts/:id",
        lazy: async () => ({ Component: (await import("../features/prompts/PromptPage.js")).PromptPage }),
      },
      {
        path: "songs/:id",
        lazy: async () => ({ Component: (await import("../features/songs/SongPage.js")).SongPage }),
      },
      {
        path: "artists/:name",
        lazy: async () => ({ Component: (await import("../features/songs/ArtistPage.js")).ArtistPage }),
      },
      {
        path: "feed",
        lazy: async () => ({ Component: (await import("../features/feed/FeedPage.js")).FeedPage }),
      },
      {
        path: "people",
        lazy: async () => ({ Component: (await import("../features/people/PeoplePage.js")).PeoplePage }),
      },
      {
        path: "people/:name",
        lazy: async () => ({ Component: (await import("../features/people/ProfilePage.js")).ProfilePage }),
        children: [
          {
            index: true,
            lazy: async () => ({
              Component: (await import("../features/people/ProfilePage.js")).ProfilePrompts,
            }),
          },
          {
            path: "following",
            lazy: async () => ({
              Component: (await import("../features/people/ProfilePage.js")).ProfileFollowing,
            }),
          },
          {
            path: "followers",
            lazy: async () => ({
              Component: (await import("../features/people/ProfilePage.js")).ProfileFollowers,
            }),
          },
        ],
      },
      { path: "me", lazy: async () => ({ Component: (await import("../features/me/MePage.js")).MePage }) },
      {
        path: "catalog",
        lazy: async () => ({ Component: (await import("../features/catalog/CatalogPage.js")).CatalogPage }),
      },
      { path: "*", lazy: async () => ({ Component: (await import("./NotFoundPage.js")).NotFoundPage }) },
    ],
  },
];

export const createRouter = () => createBrowserRouter(routes);
