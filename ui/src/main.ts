// Mounts the app into index.html and applies the detected language to the document.
import { mount } from "svelte";
import App from "./App.svelte";
import { currentLocale, setLocale } from "./i18n/i18n.svelte";
import "./app.css";

setLocale(currentLocale());
const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");
export default mount(App, { target });
