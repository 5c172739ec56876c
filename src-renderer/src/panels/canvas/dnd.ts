/** The drag-and-drop payload type for palette items dropped onto the canvas. */
export const NODE_MIME = 'application/x-neurograph-node';
