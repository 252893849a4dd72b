import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { usePromptsBy } from "../../api/prompts.js";
import type { Prompt, User } from "../../api/types.js";
import { InfiniteList } from "../../ui/InfiniteList.js";
import { MyPrompt } from "./MyPrompt.js";

export function MyPrompts({ me }: { me: User }) {
  const { t } = useTranslation();
  const prompts = usePromptsBy(me.username);
  return (
    <section aria-labelledby="me-prompts">
      <h2 id="me-prompts">{t("me.promptsTitle")}</h2>
      <InfiniteList<Prompt>
        query={prompts}
        label={t("me.promptsTitle")}
        itemKey={(prompt) => String(prompt.id)}
        renderItem={(prompt) => <MyPrompt prompt={prompt} />}
        empty={
          <p>
            {t("me.noPrompts")} <Link to="/">{t("me.askSomething")}</Link>
          </p>
        }
      />
    </section>
  );
}
