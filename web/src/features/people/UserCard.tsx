import { Link } from "react-router";
import type { User } from "../../api/types.js";
import type { ReactNode } from "react";

/** A person in a list: name, handle, the start of their bio, and an optional action. */
export function UserCard({ user, action }: { user: User; action?: ReactNode }) {
  return (
    <article className="card user-card">
      <div>
        <h3 className="user-name">
          <Link to={`/people/${encodeURIComponent(user.username)}`}>
            {user.displayName || `@${user.username}`}
          </Link>
        </h3>
        {user.displayName && <p className="muted">@{user.username}</p>}
        {user.bio && <p className="user-bio">{user.bio}</p>}
      </div>
      {action}
    </article>
  );
}
