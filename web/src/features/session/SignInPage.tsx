import { AuthForm } from "./AuthForm.js";

export const SignInPage = () => <AuthForm kind="login" />;
