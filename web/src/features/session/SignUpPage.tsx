import { AuthForm } from "./AuthForm.js";

export const SignUpPage = () => <AuthForm kind="register" />;
