// Stands in for `typescript` in the Worker bundle (wrangler.toml [alias]): cosmiconfig, pulled in by mjml's
// htmlnano, only loads it for .ts config files, which a Worker never reads. It was 10 MB of the bundle.
export default {};
