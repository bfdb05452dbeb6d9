// GraphiQL against this server: queries and mutations over POST /graphql,
// subscriptions over /graphql/ws (graphql-transport-ws). Put your token in the
// Headers tab as {"Authorization": "Bearer <token>"}; GraphiQL sends it on
// every request and in the WebSocket's connection_init payload.
(function () {
  var here = window.location;
  var ws = (here.protocol === "https:" ? "wss://" : "ws://") + here.host + "/graphql/ws";
  var fetcher = GraphiQL.createFetcher({
    url: here.origin + "/graphql",
    subscriptionUrl: ws,
  });
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      // A newcomer starts with the schema's documentation open.
      visiblePlugin: "Documentation Explorer",
    })
  );
})();
