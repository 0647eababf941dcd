package dev.parley.rooms;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;

/** One lifetime of a named room, from its creation to its close (a name may be reused later). */
@Entity
@Table(name = "parley_room")
public class Room {

    @Id
    public String id;
    public String name;
    public int capacity;
    @Column(name = "has_password")
    public boolean hasPassword;
    @Column(name = "created_at")
    public LocalDateTime createdAt;
    @Column(name = "closed_at")
    public LocalDateTime closedAt;
    @Column(name = "instance_id")
    public String instanceId;
}
